// Timeline chart in plain SVG: events per month stacked by quad class, and the month's
// net Goldstein score as a line on its own scale.

import { CONFIG, esc, QUAD_COLOURS } from "./common.js";

const HEIGHT = 190;
const PAD = { left: 34, right: 40, top: 12, bottom: 38 };
const MAX_MONTHS = 240;

function monthsBetween(first, last) {
  const months = [];
  let [y, m] = first.split("-").map(Number);
  const [ly, lm] = last.split("-").map(Number);
  while ((y < ly || (y === ly && m <= lm)) && months.length < MAX_MONTHS) {
    months.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return months;
}

//: Rows of /actors/{id}/timeline (date, quad_class, goldstein) by month.
export function byMonth(rows) {
  const dated = rows.filter((r) => r.date);
  const months = new Map();
  for (const r of dated) {
    const key = r.date.slice(0, 7);
    if (!months.has(key)) months.set(key, { month: key, quads: [0, 0, 0, 0], goldstein: 0 });
    const month = months.get(key);
    month.quads[r.quad_class - 1] += 1;
    month.goldstein += r.goldstein;
  }
  if (!months.size) return { months: [], undated: rows.length };
  const keys = [...months.keys()].sort();
  const all = monthsBetween(keys[0], keys[keys.length - 1]).map(
    (key) => months.get(key) || { month: key, quads: [0, 0, 0, 0], goldstein: 0 },
  );
  return { months: all, undated: rows.length - dated.length };
}

export function drawTimeline(element, rows) {
  const { months, undated } = byMonth(rows);
  if (!months.length) {
    element.innerHTML = `<p class="hint">no dated event${undated ? ` (${undated} undated)` : ""}</p>`;
    return;
  }
  const width = Math.max(320, element.clientWidth || 600);
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const maxCount = Math.max(1, ...months.map((m) => m.quads.reduce((a, b) => a + b, 0)));
  const maxG = Math.max(1, ...months.map((m) => Math.abs(m.goldstein)));
  const step = plotW / months.length;
  const barW = Math.max(2, Math.min(40, step * 0.7));
  const y = (n) => PAD.top + plotH - (n / maxCount) * plotH;
  const gy = (g) => PAD.top + plotH / 2 - (g / maxG) * (plotH / 2);
  const parts = [];
  months.forEach((m, i) => {
    const x = PAD.left + i * step + (step - barW) / 2;
    let base = 0;
    m.quads.forEach((n, q) => {
      if (!n) return;
      const top = y(base + n);
      parts.push(
        `<rect class="bar q${q + 1}" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}"` +
          ` height="${(y(base) - top).toFixed(1)}" fill="${QUAD_COLOURS[q + 1]}">` +
          `<title>${esc(m.month)}: ${n} ${esc(CONFIG.quads[q + 1])}</title></rect>`,
      );
      base += n;
    });
  });
  const line = months
    .map((m, i) => `${(PAD.left + i * step + step / 2).toFixed(1)},${gy(m.goldstein).toFixed(1)}`)
    .join(" ");
  const points = months
    .map(
      (m, i) =>
        `<circle cx="${(PAD.left + i * step + step / 2).toFixed(1)}" cy="${gy(m.goldstein).toFixed(1)}" r="3">` +
        `<title>${esc(m.month)}: net Goldstein ${m.goldstein.toFixed(1)}</title></circle>`,
    )
    .join("");
  const every = Math.ceil(months.length / Math.max(1, Math.floor(plotW / 60)));
  const ticks = months
    .map((m, i) =>
      i % every
        ? ""
        : `<text x="${(PAD.left + i * step + step / 2).toFixed(1)}" y="${HEIGHT - PAD.bottom + 14}"` +
          ` text-anchor="middle">${esc(m.month)}</text>`,
    )
    .join("");
  element.innerHTML = `<svg class="chart" width="${width}" height="${HEIGHT}" role="img"
      aria-label="events per month by quad class and net Goldstein">
    <line class="axis" x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(0)}" y2="${y(0)}"/>
    <line class="zero" x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${gy(0)}" y2="${gy(0)}"/>
    <text x="${PAD.left - 4}" y="${y(maxCount) + 4}" text-anchor="end">${maxCount}</text>
    <text x="${PAD.left - 4}" y="${y(0)}" text-anchor="end">0</text>
    <text class="g" x="${PAD.left + plotW + 4}" y="${gy(maxG) + 4}">+${maxG.toFixed(0)}</text>
    <text class="g" x="${PAD.left + plotW + 4}" y="${gy(-maxG)}">−${maxG.toFixed(0)}</text>
    ${parts.join("")}
    <polyline class="goldstein" points="${line}"/>${points}
    ${ticks}
  </svg>
  <div class="chart-legend">${[1, 2, 3, 4]
    .map((q) => `<span><i style="background:${QUAD_COLOURS[q]}"></i>${esc(CONFIG.quads[q])}</span>`)
    .join("")}<span><i class="line"></i>net Goldstein (right scale)</span>${
    undated ? `<span>${undated} undated</span>` : ""
  }</div>`;
}
