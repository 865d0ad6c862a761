// The evidence panel: the events behind an edge, a node or a hop, each with its sentence
// (trigger highlighted), article, date, CAMEO code and reports; a click opens every report.

import { api, cameo, esc, eventKey, QUAD_COLOURS, quadOf } from "./common.js";

//: Events whose details one click fetches at most (the rest are listed as a count).
export const MAX_EVENTS = 30;

//: The sentence with the characters of `span.trigger` marked; offsets are in code points
//  of the article, so they are shifted by the sentence's start.
export function highlighted(sentence, span) {
  const chars = Array.from(sentence || "");
  if (!span || !span.trigger || !span.sentence) return esc(sentence);
  const start = span.trigger[0] - span.sentence[0];
  const end = span.trigger[1] - span.sentence[0];
  if (start < 0 || end > chars.length || end <= start) return esc(sentence);
  return (
    esc(chars.slice(0, start).join("")) +
    `<mark class="trigger">${esc(chars.slice(start, end).join(""))}</mark>` +
    esc(chars.slice(end).join(""))
  );
}

function codeBadge(code) {
  const info = cameo(code);
  const colour = QUAD_COLOURS[quadOf(code)] || "#999";
  return `<span class="code" style="border-color:${colour}" title="${esc(info.label)}">` +
    `${esc(code)}</span> <span class="code-label">${esc(info.label)}</span>`;
}

function articleLine(m) {
  const title = m.article_title || m.article;
  const link = m.url ? `<a href="${esc(m.url)}" rel="noopener noreferrer">${esc(title)}</a>` : esc(title);
  return `<span class="article">${link}</span>` +
    `${m.outlet ? ` <span class="meta">${esc(m.outlet)}</span>` : ""}` +
    `${m.article_date ? ` <span class="meta">${esc(m.article_date)}</span>` : ""}`;
}

//: The report whose sentence the event shows (its first report), else the first one.
function firstReport(detail) {
  return detail.mention_list.find((m) => m.sentence === detail.sentence) || detail.mention_list[0];
}

function eventItem(detail) {
  const first = firstReport(detail);
  const who = `${esc(detail.source.label)} → ${esc(detail.target ? detail.target.label : "—")}`;
  return `<li class="event" data-event="${esc(detail.id)}">
    <div class="event-head"><span class="date">${esc(detail.date || "undated")}</span>
      ${codeBadge(detail.code)} <span class="who">${who}</span></div>
    <blockquote class="sentence">${first ? highlighted(first.sentence, first.span) : esc(detail.sentence)}</blockquote>
    <div class="event-foot">${first ? articleLine(first) : esc(detail.article)}
      · confidence ${detail.confidence.toFixed(2)}
      · <button type="button" class="reports" aria-expanded="false">${detail.mentions} report${detail.mentions === 1 ? "" : "s"}</button>
    </div>
    <ol class="mentions" hidden>${detail.mention_list.map(mentionItem).join("")}</ol>
  </li>`;
}

function mentionItem(m) {
  return `<li><blockquote class="sentence">${highlighted(m.sentence, m.span)}</blockquote>
    <div class="event-foot">${articleLine(m)} · ${codeBadge(m.code)} · “${esc(m.source_text || "")}”
      → “${esc(m.target_text || "")}” · confidence ${m.confidence.toFixed(2)}</div></li>`;
}

//: Fetch and list events (IRIs), newest first as given; at most MAX_EVENTS are fetched.
export async function showEvents(list, title, titleText, eventIris) {
  title.textContent = titleText;
  const hint = document.getElementById("evidence-hint");
  if (hint) hint.hidden = true;
  const shown = eventIris.slice(0, MAX_EVENTS);
  list.innerHTML = `<li class="hint">loading ${shown.length} event(s)…</li>`;
  const details = await Promise.all(
    shown.map((iri) => api(`/events/${encodeURIComponent(eventKey(iri))}`).catch(() => null)),
  );
  const found = details.filter(Boolean);
  const more = eventIris.length - shown.length;
  list.innerHTML =
    found.map(eventItem).join("") +
    (more > 0 ? `<li class="hint">and ${more} older event(s) not shown</li>` : "") +
    (found.length ? "" : `<li class="hint">no event</li>`);
}

//: Clicking "N reports" shows or hides every report of the event.
export function wireReports(list) {
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button.reports");
    if (!button) return;
    const mentions = button.closest("li.event").querySelector(".mentions");
    mentions.hidden = !mentions.hidden;
    button.setAttribute("aria-expanded", String(!mentions.hidden));
  });
}

//: One hop of a path with its evidence (the hop events carry their sentence already).
export function hopItem(hop, label) {
  const events = hop.events
    .map(
      (e) => `<li class="hop-event">${codeBadge(e.code)} <span class="date">${esc(e.date || "undated")}</span>
        ${esc(label(e.source))} → ${esc(label(e.target))}
        <blockquote class="sentence">${esc(e.sentence)}</blockquote>
        <span class="meta">${esc(e.article)} · ${e.mentions} report(s)</span></li>`,
    )
    .join("");
  return `<li class="hop"><b>${esc(label(hop.source))}</b> — <b>${esc(label(hop.target))}</b>
    <ol>${events}</ol></li>`;
}
