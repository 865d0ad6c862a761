// Shared pieces of the explorer: configuration, calls to the REST API, the URL state,
// escaping, CAMEO colours and the actor search box.

export const CONFIG = JSON.parse(document.getElementById("kg-config").textContent);
const ACTOR_NS = CONFIG.prefixes.actor;

//: Colours of the four quad classes (1, 2 cooperation; 3, 4 conflict).
export const QUAD_COLOURS = { 1: "#7fbf7b", 2: "#1b7837", 3: "#f4a582", 4: "#b2182b" };
export const EDGE_COLOURS = { conflict: "#c0392b", coop: "#1e8449", mixed: "#8e8e8e" };
//: The filter parameters every network route takes; they live in the page's URL.
export const FILTER_KEYS = ["since", "until", "root", "quad", "min_confidence"];

export function esc(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

//: Short actor id for URLs and API paths: "USA" for https://w3id.org/kg-geo/actor/USA.
export function shortId(iri) {
  return iri && iri.startsWith(ACTOR_NS) ? iri.slice(ACTOR_NS.length) : iri;
}

//: Full IRI of a short actor id (the inverse of shortId).
export function fullId(id) {
  return id && !id.includes("://") ? ACTOR_NS + id : id;
}

export function eventKey(iri) {
  return iri.slice(iri.lastIndexOf("/") + 1);
}

export function cameo(code) {
  return CONFIG.cameo[code] || CONFIG.cameo[String(code).slice(0, 2)] || { label: "", quad: 0 };
}

export function quadOf(code) {
  return cameo(code).quad || cameo(String(code).slice(0, 2)).quad;
}

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.detail ? JSON.stringify(body.detail).replace(/^"|"$/g, "") : `HTTP ${status}`);
    this.status = status;
  }
}

//: GET a JSON route of the API; params may hold arrays (repeated parameters).
export async function api(path, params = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== "") url.searchParams.append(key, one);
    }
  }
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export function actorPath(id, suffix = "") {
  return `/actors/${encodeURIComponent(shortId(id))}${suffix}`;
}

// -- the URL state --------------------------------------------------------------------

export function readState() {
  const params = new URLSearchParams(window.location.search);
  const filters = {};
  for (const key of FILTER_KEYS) {
    const values = params.getAll(key).filter((v) => v !== "");
    if (values.length) filters[key] = key === "root" || key === "quad" ? values : values[0];
  }
  return {
    actor: params.get("actor") || null,
    edge: params.get("edge") || null, // "a|b": the dyad shown in the evidence panel
    node: params.get("node") || null,
    path: params.get("path") || null, // "a|b": the path finder's question
    depth: params.get("depth") || null, // hops of the ego network (default DEPTH)
    filters,
  };
}

export function writeState(state, push = true) {
  const params = new URLSearchParams();
  for (const key of ["actor", "depth", "edge", "node", "path"]) if (state[key]) params.set(key, state[key]);
  for (const [key, value] of Object.entries(state.filters)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, one);
  }
  const url = `${window.location.pathname}${params.toString() ? `?${params}` : ""}`;
  if (url !== `${window.location.pathname}${window.location.search}`) {
    window.history[push ? "pushState" : "replaceState"](null, "", url);
  }
}

// -- the actor search box -------------------------------------------------------------

//: What the search box asks /actors: words are a name or alias, "type:Person" and
//  "country:IRN" narrow it (a name such as "Islamic State" must not become a type).
export function searchParams(text) {
  const params = { limit: 12 };
  const words = [];
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, value] = word.split(/:(.*)/s);
    if ((key === "type" || key === "country") && value) params[key] = value;
    else words.push(word);
  }
  if (words.length) params.q = words.join(" ");
  return params;
}

//: Suggest actors while the user types into `input`; `choose(actor)` gets the pick.
export function actorSearch(input, list, choose) {
  let timer = null;
  let asked = 0;
  let shown = [];
  let active = -1;
  const close = () => {
    list.hidden = true;
    active = -1;
  };
  const pick = (actor) => {
    input.value = actor.label;
    input.dataset.actor = actor.id;
    close();
    choose(actor);
  };
  const render = () => {
    list.innerHTML = shown
      .map(
        (a, i) =>
          `<li role="option" data-i="${i}" class="${i === active ? "active" : ""}">` +
          `<b>${esc(a.label)}</b> <span class="meta">${esc(a.type || "")}` +
          `${a.country ? ` · ${esc(a.country)}` : ""}</span></li>`,
      )
      .join("");
    list.hidden = shown.length === 0;
  };
  input.addEventListener("input", () => {
    delete input.dataset.actor;
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2) return close();
    timer = setTimeout(async () => {
      const mine = ++asked;
      const found = await api("/actors", searchParams(q)).catch(() => []);
      if (mine !== asked) return; // a newer keystroke asked again
      shown = found;
      active = -1;
      render();
      if (!found.length) {
        list.innerHTML = `<li class="none">no actor matches “${esc(q)}”</li>`;
        list.hidden = false;
      }
    }, 150);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden || !shown.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + shown.length) % shown.length;
      render();
      event.preventDefault();
    } else if (event.key === "Enter") {
      pick(shown[Math.max(active, 0)]);
      event.preventDefault();
    } else if (event.key === "Escape") {
      close();
    }
  });
  list.addEventListener("mousedown", (event) => {
    const item = event.target.closest("li[data-i]");
    if (item) pick(shown[Number(item.dataset.i)]);
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
}
