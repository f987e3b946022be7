/**
 * The page of `lokt dashboard` (docs/contract.md §18): one document with no external
 * asset, semantic HTML, updated live from the server's event stream (no
 * reload, no polling in the page): locks with holders, waiters,
 * reservations, freezes, the latest events, the timeline of the last hour
 * or day, and a lock's detail (its record and `why`) on demand.
 *
 * @module
 */

/** The first document, sent with the page so that it is drawn at once. */
export interface DashboardInitial {
  /** The `status --json` document. */
  status: unknown;
  /** The latest audit events (oldest first). */
  events: unknown[];
  /** The timeline SVG. */
  svg: string;
}

/**
 * The page, with the first document in it (status, latest events,
 * timeline): a screenshot taken as soon as the page loads shows them all.
 *
 * @param initial The first document, or `null` (the page then waits for the stream).
 * @returns The HTML document.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { dashboardPage } from "./dashboard_page.ts";
 * assert(dashboardPage().includes("<main"));
 * // The first document travels in the page: a plain screenshot shows it all.
 * const page = dashboardPage({ status: { locks: [] }, events: [], svg: "<svg></svg>" });
 * assert(page.includes('<script type="application/json" id="initial">'));
 * assert(!dashboardPage({ status: null, events: [], svg: "</script><b>" }).includes("</script><b>"));
 * ```
 */
export function dashboardPage(initial: DashboardInitial | null = null): string {
  // JSON inside <script>: every "<" escaped, so no text of a record can close the element.
  const data = JSON.stringify(initial).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lokt dashboard</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 0; color: #111; background: #fff; }
  header { padding: 0.6rem 1rem; background: #0b3d66; color: #fff; display: flex; gap: 1rem; align-items: baseline; flex-wrap: wrap; }
  header h1 { font-size: 1.2rem; margin: 0; }
  main { padding: 0 1rem 2rem; display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(100%, 36rem), 1fr)); }
  section { min-width: 0; }
  h2 { font-size: 1rem; border-bottom: 2px solid #0b3d66; padding-bottom: 0.2rem; }
  table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
  th, td { text-align: left; padding: 0.25rem 0.4rem; border-bottom: 1px solid #ddd; vertical-align: top; overflow-wrap: anywhere; }
  tr.stale td { color: #7a4b00; }
  button.link { background: none; border: none; color: #0b5394; text-decoration: underline; cursor: pointer; font: inherit; padding: 0; }
  .muted { color: #555; }
  #timeline, #locks-section, #attention { grid-column: 1 / -1; }
  #attention li.alert { color: #b00000; font-weight: bold; }
  th { overflow-wrap: normal; }
  #timeline-svg svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
  .table-wrap { overflow-x: auto; }
  #timeline-svg { overflow-x: auto; }
  header .muted { color: #c8d8e8; }
  /* A narrow window: each table row becomes a small card of labelled values, and the
     timeline keeps its size and scrolls sideways inside its own box. */
  @media (max-width: 40rem) {
    table, tbody, tr, td { display: block; }
    thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
    tr { border-bottom: 1px solid #ccc; padding: 0.3rem 0; }
    td { border: none; padding: 0.1rem 0.2rem; }
    td[data-label]::before { content: attr(data-label) ": "; font-weight: bold; }
    td[data-label]:empty { display: none; }
    #timeline-svg svg { max-width: none; width: 60rem; }
  }
  pre { white-space: pre-wrap; font-size: 0.8rem; background: #f4f4f4; padding: 0.5rem; }
</style>
</head>
<body>
<header><h1>lokt</h1><span id="store" class="muted"></span><span id="live" role="status">connecting…</span></header>
<main>
<section id="attention" aria-labelledby="h-attention"><h2 id="h-attention">What needs you now</h2><ul id="attention-list"><li class="muted">…</li></ul></section>
<section id="locks-section" aria-labelledby="h-locks"><h2 id="h-locks">Locks</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">Name</th><th scope="col">Holder</th><th scope="col">Held for</th><th scope="col">TTL left</th><th scope="col">Fence</th><th scope="col">Liveness</th><th scope="col">Waiting</th></tr></thead><tbody id="locks"></tbody></table></div>
<div id="detail" aria-live="polite"></div></section>
<section aria-labelledby="h-res"><h2 id="h-res">Reservations</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">Pattern</th><th scope="col">Owner</th><th scope="col">Mode</th><th scope="col">Reason</th><th scope="col">Expires in</th></tr></thead><tbody id="reservations"></tbody></table></div>
<h2 id="h-freezes">Freezes</h2><ul id="freezes"></ul></section>
<section aria-labelledby="h-events"><h2 id="h-events">Latest events</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Event</th><th scope="col">Name</th><th scope="col">By</th></tr></thead><tbody id="events"></tbody></table></div></section>
<section id="timeline" aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>
<p><button class="link" data-since="" aria-pressed="true">recent</button> · <button class="link" data-since="10m" aria-pressed="false">last 10 minutes</button> · <button class="link" data-since="1h" aria-pressed="false">last hour</button> · <button class="link" data-since="24h" aria-pressed="false">last day</button></p>
<p class="muted">Holds per lock name over time, coloured by owner; waits hatched; breaks ✕, losses ▲, freezes ◆, refusals |. Hover a shape for its details.</p>
<div id="timeline-svg"></div></section>
</main>
<script type="application/json" id="initial">${data}</script>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const dur = (ms) => ms == null ? "none" : ms < 0 ? "expired" : ms < 60e3 ? Math.round(ms / 1e3) + "s" : ms < 3600e3 ? Math.round(ms / 60e3) + "m" : (ms / 3600e3).toFixed(1) + "h";
// "" is recent: the last hour from its first event.
let since = "";
// A row of cells, each labelled with its column's heading (shown beside the value on a narrow window).
const heads = (id) => [...$(id).closest("table").tHead.rows[0].cells].map((th) => th.textContent);
const row = (id, values, cls) => "<tr" + (cls ? " class=\\"" + cls + "\\"" : "") + ">" + values.map((v, k) => "<td data-label=\\"" + esc(heads(id)[k]) + "\\">" + v + "</td>").join("") + "</tr>";
const none = (id, text) => "<tr><td colspan=\\"" + heads(id).length + "\\" class=\\"muted\\">" + text + "</td></tr>";
// Ages and times left count on in the page between status documents (which
// come only when something changed): a local clock, not a request.
let receivedAt = Date.now();
const ageCell = (ms) => ms == null ? "none" : "<span class=\\"age\\" data-ms=\\"" + ms + "\\">" + dur(ms) + "</span>";
const leftCell = (ms) => ms == null ? "none" : "<span class=\\"left\\" data-ms=\\"" + ms + "\\">" + dur(ms) + "</span>";
setInterval(() => {
  const gone = Date.now() - receivedAt;
  for (const el of document.querySelectorAll("span.age")) el.textContent = dur(Number(el.dataset.ms) + gone);
  for (const el of document.querySelectorAll("span.left")) el.textContent = dur(Number(el.dataset.ms) - gone);
}, 1000);
function render(doc) {
  receivedAt = Date.now();
  $("store").textContent = doc.store || "";
  const rows = [];
  for (const lock of doc.locks) {
    const holders = lock.holders.length ? lock.holders : [{ owner: "(corrupt)", judged: {} }];
    holders.forEach((h, i) => {
      const j = h.judged || {};
      const stale = j.status && j.status !== "held";
      const name = i ? "" : "<button class=\\"link\\" data-name=\\"" + esc(lock.name) + "\\">" + esc(lock.name) + "</button>" + (lock.mode !== "exclusive" ? " <span class=\\"muted\\">[" + esc(lock.mode) + (lock.slots ? " " + lock.slots : "") + "]</span>" : "");
      rows.push(row("locks", [name, esc(h.owner) + (h.slot != null ? " (slot " + h.slot + ")" : ""), ageCell(j.age_ms), leftCell(j.expires_in_ms), esc(h.fence), esc(j.liveness) + (stale && j.status !== j.liveness ? " — " + esc(j.status) : ""), i ? "" : (lock.waiters || []).map((w) => esc(w.owner)).join(", ")], stale ? "stale" : ""));
    });
  }
  $("locks").innerHTML = rows.join("") || none("locks", "no locks held");
  $("reservations").innerHTML = (doc.reservations || []).map((r) => row("reservations", [esc(r.patterns[0]), esc(r.owner), esc(r.mode), esc(r.reason), leftCell(r.expires_in_ms)])).join("") || none("reservations", "nothing reserved");
  $("freezes").innerHTML = doc.freezes.filter((f) => f.active).map((f) => "<li>" + esc(f.name) + " frozen by " + esc(f.owner) + (f.reason ? " (" + esc(f.reason) + ")" : "") + ", " + leftCell(f.expires_in_ms) + " left</li>").join("") || "<li class=\\"muted\\">none</li>";
}
function showLatest(events, svg) {
  $("events").innerHTML = events.slice().reverse().map((e) => row("events", [esc(e.ts.slice(11, 19)), esc(e.event), esc(e.name), esc(e.owner)])).join("") || none("events", "no events");
  // Inline, so that every shape's title is a tooltip and readable by assistive technology.
  $("timeline-svg").innerHTML = svg;
  // The timeline's own summary, at the top of the page: one answer in both.
  const lines = [...$("timeline-svg").querySelectorAll("g.summary text")];
  $("attention-list").innerHTML = lines.map((t) => {
    const text = (t.querySelector("title") || t).textContent;
    const alert = t.classList.contains("summary-stuck") && !/: nothing$/.test(text);
    return "<li" + (alert ? " class=\\"alert\\"" : "") + ">" + esc(text) + "</li>";
  }).join("");
}
async function latest() {
  const events = await (await fetch("api/audit?since=" + (since || "1h") + "&limit=30")).json();
  showLatest(events, await (await fetch("timeline.svg" + (since ? "?since=" + since : ""))).text());
}
document.addEventListener("click", async (ev) => {
  const t = ev.target;
  if (t.dataset && t.dataset.since !== undefined) {
    since = t.dataset.since;
    for (const b of document.querySelectorAll("[data-since]")) b.setAttribute("aria-pressed", String(b === t));
    latest();
  }
  if (t.dataset && t.dataset.name) { selected = t.dataset.name; detail(); }
});
// The lock whose detail is open: shown again after every change, so it never goes stale.
let selected = null;
async function detail() {
  if (selected === null) return;
  const why = await (await fetch("api/why?name=" + encodeURIComponent(selected))).json();
  $("detail").innerHTML = "<h3>" + esc(selected) + "</h3><ul>" + why.reasons.map((r) => "<li><strong>" + esc(r.code) + "</strong>: " + esc(r.message) + "</li>").join("") + "</ul><pre>" + esc(JSON.stringify(why.lock.holders, null, 2)) + "</pre>";
}
// The first document came with the page: drawn before the stream answers.
const initial = JSON.parse($("initial").textContent);
if (initial && initial.status) { render(initial.status); showLatest(initial.events, initial.svg); }
const source = new EventSource("events");
// The latest events and the timeline read the audit trail, which can be large:
// after a change, at most once every 5 s (the last change always shown).
let latestTimer = null;
let latestAt = 0;
function latestSoon() {
  if (latestTimer !== null) return;
  latestTimer = setTimeout(() => { latestTimer = null; latestAt = Date.now(); latest(); }, Math.max(0, latestAt + 5000 - Date.now()));
}
source.addEventListener("status", (ev) => { render(JSON.parse(ev.data)); $("live").textContent = "live"; latestSoon(); detail(); });
source.onerror = () => { $("live").textContent = "reconnecting…"; };
</script>
</body>
</html>
`;
}
