// YASGUI on this service's /sparql, with the project's prefixes and example queries as
// tabs. Autocompleters that would ask servers elsewhere (LOV) are switched off.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("kg-config").textContent);
  const endpoint = new URL("/sparql", window.location.href).href;
  const prefixes = Object.entries(config.prefixes)
    .map(([name, iri]) => `PREFIX ${name}: <${iri}>`)
    .join("\n");
  document.getElementById("endpoint").textContent = endpoint;
  const Yasqe = Yasgui.Yasqe;
  Yasqe.defaults.autocompleters = Yasqe.defaults.autocompleters.filter(
    (name) => name !== "class" && name !== "property",
  );
  const yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null, // every visit starts from the examples
    populateFromUrl: true,
    autoAddOnInit: false,
    endpointCatalogueOptions: { getData: () => [{ endpoint }], keys: [] },
    yasqe: { value: `${prefixes}\n\n${config.examples[0].query}\n` },
  });
  const tabs = config.examples.map((example, i) =>
    yasgui.addTab(i === 0, {
      name: example.name,
      yasqe: { value: `${prefixes}\n\n${example.query}\n` },
      requestConfig: { endpoint, method: "POST" },
    }),
  );
  for (const id of Object.keys(yasgui._tabs)) {
    if (!tabs.some((tab) => tab.getId() === id) && Object.keys(yasgui._tabs).length > tabs.length) {
      yasgui.getTab(id).close();
    }
  }
  yasgui.selectTabId(tabs[0].getId());
  window.kgYasgui = yasgui;
})();
