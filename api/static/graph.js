// The ego network drawn with Cytoscape.js: one edge per pair of actors, its width by
// the number of events, its colour by conflict or cooperation; node size by events.

import { EDGE_COLOURS, esc, quadOf } from "./common.js";

const TYPE_COLOURS = {
  State: "#4e79a7",
  Government: "#76b7b2",
  Military: "#59a14f",
  ArmedGroup: "#e15759",
  Person: "#f28e2b",
  Party: "#b07aa1",
  IGO: "#9c755f",
  NGO: "#edc948",
  Media: "#bab0ac",
};

const STYLE = [
  {
    selector: "node",
    style: {
      label: "data(label)",
      "background-color": (n) => TYPE_COLOURS[n.data("type")] || "#999",
      width: "data(size)",
      height: "data(size)",
      "font-size": 13,
      "font-family": "system-ui, sans-serif",
      color: "#222",
      "text-valign": "bottom",
      "text-margin-y": 4,
      "text-outline-color": "#fff",
      "text-outline-width": 3,
      "min-zoomed-font-size": 7,
    },
  },
  { selector: "node.ego", style: { "border-width": 4, "border-color": "#222" } },
  {
    selector: "edge",
    style: {
      width: "mapData(n, 1, 8, 2, 10)",
      "line-color": "data(colour)",
      "curve-style": "bezier",
      opacity: 0.85,
      label: "data(n)",
      "font-size": 10,
      "text-background-color": "#fff",
      "text-background-opacity": 0.8,
    },
  },
  { selector: "edge[n]", style: { opacity: 0.35 } },
  { selector: "edge.ego-edge", style: { opacity: 0.9 } },
  { selector: "edge:selected, node:selected", style: { "overlay-opacity": 0.2 } },
  { selector: ".path", style: { "line-color": "#f1c40f", "border-color": "#f1c40f" } },
  { selector: "node.path", style: { "border-width": 5 } },
  { selector: "edge.path", style: { width: 9, opacity: 1, "line-style": "solid" } },
  { selector: ".faded", style: { opacity: 0.25 } },
];

export function pairKey(a, b) {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

//: Collapse the network's event edges into one edge per pair of actors.
export function pairEdges(edges) {
  const pairs = new Map();
  for (const edge of edges) {
    const key = pairKey(edge.source, edge.target);
    if (!pairs.has(key)) pairs.set(key, { key, source: edge.source, target: edge.target, events: [] });
    pairs.get(key).events.push(edge);
  }
  for (const pair of pairs.values()) {
    const conflict = pair.events.filter((e) => quadOf(e.code) >= 3).length;
    const coop = pair.events.length - conflict;
    pair.kind = conflict > coop ? "conflict" : coop > conflict ? "coop" : "mixed";
  }
  return [...pairs.values()];
}

export class NetworkView {
  constructor(container, { onEdge, onNode }) {
    this.container = container;
    this.onEdge = onEdge;
    this.onNode = onNode;
    this.cy = null;
    this.pairs = new Map();
    this.labels = new Map();
  }

  draw(network, egoId) {
    const pairs = pairEdges(network.edges);
    this.pairs = new Map(pairs.map((p) => [p.key, p]));
    const degree = new Map();
    for (const p of pairs) {
      for (const end of [p.source, p.target]) degree.set(end, (degree.get(end) || 0) + p.events.length);
    }
    const most = Math.max(1, ...degree.values());
    const nodes = network.nodes.map((n) => {
      this.labels.set(n.id, n.label);
      const events = degree.get(n.id) || 1;
      return {
        group: "nodes",
        data: { ...n, events, size: Math.round(18 + 46 * Math.sqrt(events / most)) },
        classes: n.id === egoId ? "ego" : "",
      };
    });
    const edges = pairs.map((p, i) => ({
      group: "edges",
      data: {
        id: `pair${i}`,
        key: p.key,
        source: p.source,
        target: p.target,
        n: p.events.length,
        kind: p.kind,
        colour: EDGE_COLOURS[p.kind],
      },
      classes: p.source === egoId || p.target === egoId ? "ego-edge" : "",
    }));
    this.reset([...nodes, ...edges], egoId);
  }

  reset(elements, egoId) {
    if (this.cy) this.cy.destroy();
    this.cy = cytoscape({
      container: this.container,
      elements,
      style: STYLE,
      layout: { name: "preset" },
      minZoom: 0.2,
      maxZoom: 4,
    });
    this.cy.layout(elements.length > 2 ? this.layout(egoId) : { name: "grid" }).run();
    if (this.cy.zoom() > 1.4) {
      this.cy.zoom(1.4); // a network of two or three actors should not fill the panel
      this.cy.center();
    }
    this.cy.on("tap", "edge", (event) => this.onEdge(event.target.data("key")));
    this.cy.on("tap", "node", (event) => this.onNode(event.target.id()));
    window.kgExplorer = Object.assign(window.kgExplorer || {}, { cy: this.cy });
  }

  //: Rings around the actor: its counterparts first, then actors two or more hops away
  //  (in the order the API gives: nearer and more connected first).
  layout(egoId) {
    const cy = this.cy;
    const near = new Set(egoId && cy ? cy.getElementById(egoId).neighborhood("node").map((n) => n.id()) : []);
    return {
      name: "concentric",
      concentric: (n) => (n.id() === egoId ? 3 : near.has(n.id()) ? 2 : 1),
      levelWidth: () => 0.5, // one ring per value
      minNodeSpacing: 30,
      animate: false,
      padding: 30,
    };
  }

  //: Edge of a pair ("a|b" in either order), or null.
  edgeOf(a, b) {
    if (!this.cy) return null;
    const key = pairKey(a, b);
    const found = this.cy.edges().filter((e) => e.data("key") === key);
    return found.length ? found[0] : null;
  }

  select(key) {
    if (!this.cy) return;
    this.cy.elements().unselect();
    const edge = this.cy.edges().filter((e) => e.data("key") === key);
    edge.select();
  }

  //: Draw a path found by /paths: add what the ego network lacks, highlight the hops.
  showPath(path) {
    const alone = !this.cy || this.cy.nodes().length === 0;
    if (alone) this.reset([], null);
    const cy = this.cy;
    cy.elements().removeClass("path").addClass("faded");
    path.actors.forEach((id, i) => {
      if (cy.getElementById(id).empty()) {
        const position = alone ? { x: i * 170, y: (i % 2) * 50 } : { x: 0, y: 0 };
        cy.add({ group: "nodes", data: { id, label: path.labels[i], events: 1, size: 24 }, position });
      }
      cy.getElementById(id).removeClass("faded").addClass("path");
    });
    path.hops.forEach((hop, i) => {
      let edge = this.edgeOf(hop.source, hop.target);
      if (!edge) {
        edge = cy.add({
          group: "edges",
          data: {
            id: `hop${i}-${Date.now()}`,
            key: pairKey(hop.source, hop.target),
            source: hop.source,
            target: hop.target,
            n: hop.events.length,
            colour: EDGE_COLOURS[hop.events.some((e) => quadOf(e.code) >= 3) ? "conflict" : "coop"],
          },
        });
      }
      edge.removeClass("faded").addClass("path");
    });
    if (!alone && cy.nodes().some((n) => n.position("x") === 0 && n.position("y") === 0)) {
      cy.layout(this.layout(path.actors[0])).run();
    }
    cy.fit(undefined, 30); // the path in its network: the rest stays, faded
    if (cy.zoom() > 1.4) {
      cy.zoom(1.4);
      cy.center();
    }
  }

  clearPath() {
    if (this.cy) this.cy.elements().removeClass("path faded");
  }

  label(id) {
    return this.labels.get(id) || id;
  }
}

//: A legend line under the graph: how many events and actors are drawn.
export function networkNote(network) {
  const cut = network.events_total > network.edges.length;
  return esc(
    `${network.nodes.length} actors, ${network.edges.length} events` +
      (cut ? ` (newest of ${network.events_total})` : ""),
  );
}
