/**
 * The page of `lokt dashboard` (SPEC §18): one document with no external
 * asset, semantic HTML, updated live from the server's event stream (no
 * reload, no polling in the page): locks with holders, waiters,
 * reservations, freezes, the latest events, the timeline of the last hour
 * or day, and a lock's detail (its record and `why`) on demand.
 *
 * @module
 */

/**
 * The page.
 *
 * @returns The HTML document.
 *
 * @example Usage
 * ```ts
 * import { dashboardPage } from "./dashboard_page.ts";
 * console.assert(dashboardPage().includes("<main"));
 * ```
 */
export function dashboardPage(): string {
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
  #timeline { grid-column: 1 / -1; }
  #timeline img { max-width: 100%; height: auto; border: 1px solid #ddd; }
  pre { white-space: pre-wrap; font-size: 0.8rem; background: #f4f4f4; padding: 0.5rem; }
</style>
</head>
<body>
<header><h1>lokt</h1><span id="store" class="muted"></span><span id="live" role="status">connecting…</span></header>
<main>
<section aria-labelledby="h-locks"><h2 id="h-locks">Locks</h2>
<table><thead><tr><th scope="col">Name</th><th scope="col">Holder</th><th scope="col">Held for</th><th scope="col">TTL left</th><th scope="col">Fence</th><th scope="col">Liveness</th><th scope="col">Waiting</th></tr></thead><tbody id="locks"></tbody></table>
<div id="detail" aria-live="polite"></div></section>
<section aria-labelledby="h-res"><h2 id="h-res">Reservations</h2>
<table><thead><tr><th scope="col">Pattern</th><th scope="col">Owner</th><th scope="col">Mode</th><th scope="col">Reason</th><th scope="col">Expires in</th></tr></thead><tbody id="reservations"></tbody></table>
<h2 id="h-freezes">Freezes</h2><ul id="freezes"></ul></section>
<section aria-labelledby="h-events"><h2 id="h-events">Latest events</h2>
<table><thead><tr><th scope="col">Time (UTC)</th><th scope="col">Event</th><th scope="col">Name</th><th scope="col">By</th></tr></thead><tbody id="events"></tbody></table></section>
<section id="timeline" aria-labelledby="h-timeline"><h2 id="h-timeline">Timeline</h2>
<p><button class="link" data-since="1h">last hour</button> · <button class="link" data-since="24h">last day</button></p>
<img id="timeline-img" alt="Holds per lock name over time, by owner; waits hatched; breaks, losses, freezes and refusals marked" src="timeline.svg?since=1h"></section>
</main>
<script>
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
const dur = (ms) => ms == null ? "none" : ms < 0 ? "expired" : ms < 60e3 ? Math.round(ms / 1e3) + "s" : ms < 3600e3 ? Math.round(ms / 60e3) + "m" : (ms / 3600e3).toFixed(1) + "h";
let since = "1h";
function render(doc) {
  $("store").textContent = doc.store || "";
  const rows = [];
  for (const lock of doc.locks) {
    const holders = lock.holders.length ? lock.holders : [{ owner: "(corrupt)", judged: {} }];
    holders.forEach((h, i) => {
      const j = h.judged || {};
      rows.push("<tr class=\\"" + (j.status && j.status !== "held" ? "stale" : "") + "\\"><td>" + (i ? "" : "<button class=\\"link\\" data-name=\\"" + esc(lock.name) + "\\">" + esc(lock.name) + "</button>" + (lock.mode !== "exclusive" ? " <span class=\\"muted\\">[" + esc(lock.mode) + (lock.slots ? " " + lock.slots : "") + "]</span>" : "")) + "</td><td>" + esc(h.owner) + (h.slot != null ? " (slot " + h.slot + ")" : "") + "</td><td>" + dur(j.age_ms) + "</td><td>" + dur(j.expires_in_ms) + "</td><td>" + esc(h.fence) + "</td><td>" + esc(j.liveness) + (j.status && j.status !== "held" ? " — " + esc(j.status) : "") + "</td><td>" + (i ? "" : (lock.waiters || []).map((w) => esc(w.owner)).join(", ")) + "</td></tr>");
    });
  }
  $("locks").innerHTML = rows.join("") || "<tr><td colspan=\\"7\\" class=\\"muted\\">no locks held</td></tr>";
  $("reservations").innerHTML = (doc.reservations || []).map((r) => "<tr><td>" + esc(r.patterns[0]) + "</td><td>" + esc(r.owner) + "</td><td>" + esc(r.mode) + "</td><td>" + esc(r.reason) + "</td><td>" + dur(r.expires_in_ms) + "</td></tr>").join("") || "<tr><td colspan=\\"5\\" class=\\"muted\\">nothing reserved</td></tr>";
  $("freezes").innerHTML = doc.freezes.filter((f) => f.active).map((f) => "<li>" + esc(f.name) + " frozen by " + esc(f.owner) + (f.reason ? " (" + esc(f.reason) + ")" : "") + ", " + dur(f.expires_in_ms) + " left</li>").join("") || "<li class=\\"muted\\">none</li>";
}
async function latest() {
  const events = await (await fetch("api/audit?since=" + since + "&limit=30")).json();
  $("events").innerHTML = events.reverse().map((e) => "<tr><td>" + esc(e.ts.slice(11, 19)) + "</td><td>" + esc(e.event) + "</td><td>" + esc(e.name) + "</td><td>" + esc(e.owner) + "</td></tr>").join("") || "<tr><td colspan=\\"4\\" class=\\"muted\\">no events</td></tr>";
  $("timeline-img").src = "timeline.svg?since=" + since + "&t=" + Date.now();
}
document.addEventListener("click", async (ev) => {
  const t = ev.target;
  if (t.dataset && t.dataset.since) { since = t.dataset.since; latest(); }
  if (t.dataset && t.dataset.name) {
    const why = await (await fetch("api/why?name=" + encodeURIComponent(t.dataset.name))).json();
    $("detail").innerHTML = "<h3>" + esc(t.dataset.name) + "</h3><ul>" + why.reasons.map((r) => "<li><strong>" + esc(r.code) + "</strong>: " + esc(r.message) + "</li>").join("") + "</ul><pre>" + esc(JSON.stringify(why.lock.holders, null, 2)) + "</pre>";
  }
});
const source = new EventSource("events");
source.addEventListener("status", (ev) => { render(JSON.parse(ev.data)); $("live").textContent = "live"; latest(); });
source.onerror = () => { $("live").textContent = "reconnecting…"; };
</script>
</body>
</html>
`;
}
