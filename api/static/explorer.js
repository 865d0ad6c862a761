// The explorer page: actor search, an actor's profile and ego network, the evidence
// behind edges and nodes, timelines, the path finder, filters kept in the URL, and
// the status strip. It calls only the service's own REST routes.

import {
  actorPath,
  actorSearch,
  api,
  cameo,
  esc,
  fullId,
  quadOf,
  readState,
  shortId,
  writeState,
} from "./common.js";
import { hopItem, showEvents, wireReports } from "./evidence.js";
import { NetworkView, networkNote, pairKey } from "./graph.js";
import { drawTimeline } from "./timeline.js";

//: Bounds of the ego network the page asks for, so big graphs stay fast.
const MAX_ACTORS = 60;
const MAX_EVENTS = 1500;
const DEPTH = "2";

const $ = (id) => document.getElementById(id);
let state = readState();
let current = { profile: null, network: null, timeline: [] };

const view = new NetworkView($("network"), {
  onEdge: (key) => {
    const [a, b] = key.split("|");
    state.edge = `${shortId(a)}|${shortId(b)}`;
    state.node = null;
    writeState(state);
    showEdge();
  },
  onNode: (id) => {
    state.node = shortId(id);
    state.edge = null;
    writeState(state);
    showNode();
  },
});

// -- filters --------------------------------------------------------------------------

function fillFilters() {
  $("depth").value = state.depth || DEPTH;
  const form = $("filters");
  const f = state.filters;
  form.since.value = f.since || "";
  form.until.value = f.until || "";
  form.root.value = (f.root || []).join(",");
  form.min_confidence.value = f.min_confidence || "0";
  for (const box of form.querySelectorAll("input[name=quad]")) {
    box.checked = (f.quad || []).includes(box.value);
  }
}

function readFilters() {
  const form = $("filters");
  const filters = {};
  if (form.since.value) filters.since = form.since.value;
  if (form.until.value) filters.until = form.until.value;
  const roots = form.root.value.split(/[ ,]+/).filter(Boolean);
  if (roots.length) filters.root = roots;
  const quads = [...form.querySelectorAll("input[name=quad]:checked")].map((b) => b.value);
  if (quads.length) filters.quad = quads;
  if (Number(form.min_confidence.value) > 0) filters.min_confidence = form.min_confidence.value;
  return filters;
}

// -- status strip and landing ---------------------------------------------------------

async function showStatus() {
  try {
    const [stats, health] = await Promise.all([api("/stats"), api("/health")]);
    const n = (x) => Number(x).toLocaleString("en");
    $("status").innerHTML =
      `<span>${n(stats.articles)} articles</span><span>${n(stats.events)} events</span>` +
      `<span>${n(stats.mentions)} reports</span><span>${n(stats.actors)} actors</span>` +
      `<span>${n(stats.triples)} triples</span><span>store: <code>${esc(health.store)}</code></span>`;
  } catch (error) {
    $("status").textContent = `service unavailable: ${error.message}`;
  }
}

async function showLanding() {
  $("network-title").textContent = "Network";
  const ranked = await api("/network/centrality", { by: "degree", top: 10, ...state.filters }).catch(
    () => [],
  );
  $("central").innerHTML = ranked
    .map((r) => `<li><a href="?actor=${esc(encodeURIComponent(shortId(r.actor)))}" data-actor="${esc(r.actor)}">` +
      `${esc(r.label)}</a> <span class="meta">${r.events} events</span></li>`)
    .join("");
}

// -- an actor -------------------------------------------------------------------------

function profileHtml(p) {
  const roots = Object.entries(p.events_by_root).sort((a, b) => b[1] - a[1]);
  const most = Math.max(1, ...roots.map((r) => r[1]));
  const wikidata = p.wikidata
    ? `<a href="${esc(p.wikidata.replace("/entity/", "/wiki/"))}" rel="noopener noreferrer">` +
      `Wikidata ${esc(p.wikidata.split("/").pop())}</a>`
    : `<span class="meta">no Wikidata link</span>`;
  return `<h2 id="actor-label">${esc(p.label)}</h2>
    <p class="facts"><span class="type">${esc(p.type || "actor")}</span>
      ${p.country ? `· <span class="country">${esc(p.country)}</span>` : ""} · ${wikidata}</p>
    ${p.aliases.length ? `<p class="aliases">also: ${p.aliases.slice(0, 8).map(esc).join(", ")}</p>` : ""}
    <h3>Events by root</h3>
    <ul class="roots">${roots
      .map(([root, n]) => {
        const quad = quadOf(root);
        return `<li><span class="bar-label">${esc(root)} ${esc(cameo(root).label)}</span>` +
          `<span class="bar q${quad}" style="width:${(100 * n) / most}%"></span><span class="n">${n}</span></li>`;
      })
      .join("")}</ul>
    <h3>Top counterparts</h3>
    <ol class="counterparts">${p.top_counterparts
      .map((c) => `<li><a href="?actor=${esc(encodeURIComponent(shortId(c.actor.id)))}">${esc(c.actor.label)}</a>
        <button type="button" class="link" data-edge="${esc(shortId(p.id))}|${esc(shortId(c.actor.id))}">` +
        `${c.events} event${c.events === 1 ? "" : "s"}</button></li>`)
      .join("")}</ol>`;
}

async function loadActor() {
  const id = state.actor;
  $("profile").innerHTML = `<p class="hint">loading ${esc(id)}…</p>`;
  // the three answers are drawn as they come: a slow one does not hold the others
  const profile = api(actorPath(id)).then((p) => {
    document.title = `${p.label} · kg-geopolitics explorer`;
    $("profile").innerHTML = profileHtml(p);
    $("network-title").textContent = `Network of ${p.label}`;
    $("timeline-title").textContent = `Timeline: ${p.label}`;
    return p;
  });
  const params = { ...state.filters, depth: state.depth || DEPTH, max_actors: MAX_ACTORS, max_events: MAX_EVENTS };
  const network = api(actorPath(id, "/network"), params).then((n) => {
    $("network-note").innerHTML = networkNote(n);
    view.draw(n, n.nodes.length ? n.nodes[0].id : null); // the actor comes first
    return n;
  });
  const timeline = api(actorPath(id, "/timeline"), state.filters).then((rows) => {
    drawTimeline($("timeline"), rows);
    return rows;
  });
  try {
    const [p, n, t] = await Promise.all([profile, network, timeline]);
    current = { profile: p, network: n, timeline: t };
  } catch (error) {
    current = { profile: null, network: null, timeline: [] };
    $("profile").innerHTML = `<p class="error">${esc(error.message)}</p>`;
    view.draw({ nodes: [], edges: [] }, null); // nothing of the previous actor stays
    $("network-note").textContent = "";
    $("timeline").innerHTML = "";
  }
}

// -- evidence -------------------------------------------------------------------------

async function showEdge() {
  const [a, b] = state.edge.split("|").map(fullId);
  view.select(pairKey(a, b));
  const pair = view.pairs.get(pairKey(a, b));
  const names = `${view.label(a)} — ${view.label(b)}`;
  if (!pair) {
    $("evidence-title").textContent = `${names}: no event in this network`;
    $("evidence-list").innerHTML = "";
    return;
  }
  await showEvents($("evidence-list"), $("evidence-title"), `${names}: ${pair.events.length} event(s)`,
    pair.events.map((e) => e.event));
  const ego = current.profile && current.profile.id;
  const other = a === ego ? b : b === ego ? a : null;
  const rows = other
    ? current.timeline.filter((r) => r.counterpart === other)
    : pair.events.map((e) => ({ date: e.date, quad_class: quadOf(e.code), goldstein: cameo(e.code).goldstein }));
  $("timeline-title").textContent = `Timeline: ${names}`;
  drawTimeline($("timeline"), rows);
  const dyad = await api("/dyads", { a: shortId(a), b: shortId(b), ...state.filters }).catch(() => null);
  if (dyad) {
    $("timeline-title").textContent =
      `Timeline: ${names} · ${dyad.events} events (${dyad.by_direction["a->b"]} by ${dyad.labels[0]}, ` +
      `${dyad.by_direction["b->a"]} by ${dyad.labels[1]}) · net Goldstein ${dyad.goldstein.toFixed(1)}`;
  }
}

async function showNode() {
  const id = fullId(state.node);
  const events = [...view.pairs.values()]
    .filter((p) => p.source === id || p.target === id)
    .flatMap((p) => p.events)
    .sort((x, y) => String(y.date).localeCompare(String(x.date)));
  const label = view.label(id);
  await showEvents($("evidence-list"), $("evidence-title"), `${label}: ${events.length} event(s) in this network`,
    events.map((e) => e.event));
  if (!current.profile || current.profile.id !== id) {
    $("evidence-list").insertAdjacentHTML("afterbegin",
      `<li class="hint"><a href="?actor=${esc(encodeURIComponent(shortId(id)))}">Open ${esc(label)}'s page</a></li>`);
  }
}

// -- paths ----------------------------------------------------------------------------

async function runPath() {
  const [from, to] = state.path.split("|");
  const box = $("path-result");
  box.innerHTML = `<p class="hint">searching…</p>`;
  try {
    const found = await api("/paths", {
      source: from, target: to, max_hops: $("path-hops").value || 4, k: 3, ...state.filters,
    });
    if (!found.length) {
      box.innerHTML = `<p class="hint">no path within ${esc($("path-hops").value)} hops</p>`;
      return;
    }
    const first = found[0];
    $("path-from").value = $("path-from").value || first.labels[0];
    $("path-to").value = $("path-to").value || first.labels[first.labels.length - 1];
    box.innerHTML = found
      .map((path, i) => {
        const names = new Map(path.actors.map((a, j) => [a, path.labels[j]]));
        const label = (a) => names.get(a) || view.label(a);
        return `<div class="path" data-i="${i}"><button type="button" class="path-head">` +
          `${path.labels.map(esc).join(" → ")} <span class="meta">(${path.hops.length} hop${path.hops.length === 1 ? "" : "s"})</span></button>` +
          `<ol class="hops">${path.hops.map((h) => hopItem(h, label)).join("")}</ol></div>`;
      })
      .join("");
    box.querySelectorAll(".path-head").forEach((button, i) =>
      button.addEventListener("click", () => view.showPath(found[i])),
    );
    view.showPath(first);
  } catch (error) {
    box.innerHTML = `<p class="error">${esc(error.message)}</p>`;
  }
}

// -- wiring ---------------------------------------------------------------------------

async function render() {
  fillFilters();
  if (state.actor) {
    $("search").value = "";
    await loadActor();
  } else {
    await showLanding();
  }
  if (state.edge && current.network) await showEdge();
  else if (state.node && current.network) await showNode();
  if (state.path) await runPath();
}

function go(changes) {
  state = { ...state, ...changes };
  writeState(state);
  render();
}

function wire() {
  actorSearch($("search"), $("search-results"), (actor) =>
    go({ actor: shortId(actor.id), edge: null, node: null }),
  );
  for (const id of ["path-from", "path-to"]) {
    actorSearch($(id), $(id).nextElementSibling, () => {});
  }
  $("path-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const end = (input) => shortId(input.dataset.actor) || input.value.trim();
    const [from, to] = [end($("path-from")), end($("path-to"))];
    if (!from || !to) return;
    state.path = `${from}|${to}`;
    writeState(state);
    runPath();
  });
  $("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    go({ filters: readFilters() });
  });
  $("depth").addEventListener("change", () => go({ depth: $("depth").value === DEPTH ? null : $("depth").value }));
  $("filters").addEventListener("reset", (event) => {
    event.preventDefault();
    go({ filters: {} });
  });
  $("profile").addEventListener("click", (event) => {
    const button = event.target.closest("button[data-edge]");
    if (!button) return;
    state.edge = button.dataset.edge;
    state.node = null;
    writeState(state);
    showEdge();
  });
  document.body.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='?actor=']");
    if (!link || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    go({ actor: new URLSearchParams(link.getAttribute("href").slice(1)).get("actor"), edge: null, node: null });
  });
  wireReports($("evidence-list"));
  window.addEventListener("popstate", () => {
    state = readState();
    render();
  });
}

wire();
// the counts go last: on a big store they take a while and would slow the first view
render()
  .then(showStatus)
  .then(() => document.body.setAttribute("data-ready", "true"));
