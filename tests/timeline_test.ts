// `lokt audit --timeline` (docs/contract.md §18): a standalone SVG of a real trail — one
// row per name and reserved pattern, holds by owner, waits, marks for breaks,
// refusals and freezes, an axis and a legend — and the builder's bounds:
// rows for 100 names, bars merged into buckets past the cap, holds that
// began before the window.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { MAX_ROWS, OTHER_NAMES, TimelineBuilder } from "../lib/core/audit/timeline.ts";
import type { AuditEvent } from "../lib/model/audit_event.ts";
import { freshRoot, lokt, spawnLokt, waitFor } from "./_helpers.ts";

/** Whether every element opened is closed, in order (a small well-formedness check). */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, closing, tag, self] = m;
    if (self) continue;
    if (closing) {
      if (stack.pop() !== tag) return false;
    } else stack.push(tag as string);
  }
  return stack.length === 0;
}

Deno.test("audit --timeline draws a real trail: rows, holds by owner, a wait, marks, axis and legend", async () => {
  const { dir, root } = await freshRoot();
  const at = (owner: string) => ({ root, owner });
  await lokt(["lock", "build", "--ttl", "5m"], at("alice"));
  assertEquals((await lokt(["lock", "build"], at("bob"))).code, 2);
  const waiter = spawnLokt(["lock", "build", "--wait", "--timeout", "30s"], at("bob"));
  await waitFor(
    async () =>
      (await lokt(["status", "build", "--json"], at("x"))).stdout.includes('"waiters":[{'),
    "bob to wait",
  );
  await lokt(["unlock", "build"], at("alice"));
  assertEquals((await waiter.output()).code, 0);
  await lokt(["unlock", "build", "--force"], at("ops"));
  await lokt(["reserve", "src/auth"], at("carol"));
  await lokt(["freeze", "deploy", "--ttl", "1m", "--reason", "incident"], at("ops"));
  const out = await lokt(["audit", "--timeline"], at("viewer"));
  assertEquals(out.code, 0, out.stderr);
  const svg = out.stdout;
  assert(
    svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') && wellFormed(svg),
    svg.slice(0, 200),
  );
  assert(!/https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(svg), "no external asset");
  const rows = [...svg.matchAll(/<g class="row" data-name="([^"]+)" data-kind="(\w+)"/g)].map((m) =>
    `${m[1]} ${m[2]}`
  );
  assertEquals(rows, ["build lock", "deploy lock", "src/auth reservation"]);
  const holds = [...svg.matchAll(/<rect class="hold" data-owner="(\w+)"/g)].map((m) => m[1]);
  assertEquals(holds.sort(), ["alice", "bob", "carol"]);
  assertEquals([...svg.matchAll(/<rect class="wait" data-owner="bob"/g)].length, 1);
  for (const mark of ["break", "deny", "freeze"]) {
    assertMatch(svg, new RegExp(`class="mark ${mark}"`));
  }
  assertMatch(svg, /<title>force-break by ops of bob at /);
  assertMatch(svg, /<text class="tick"[^>]*>\d\d:\d\d(:\d\d)?<\/text>/);
  for (const owner of ["alice", "bob", "carol"]) {
    assertMatch(svg, new RegExp(`<g class="legend">[\\s\\S]*>${owner}</text>`));
  }
  const one = (await lokt(["audit", "--timeline", "--name", "build"], at("viewer"))).stdout;
  assertEquals([...one.matchAll(/<g class="row"/g)].length, 1);
  assertEquals((await lokt(["audit", "--timeline", "--follow"], at("viewer"))).code, 64);
  await Deno.remove(dir, { recursive: true });
});

function event(ts: number, e: Partial<AuditEvent>): AuditEvent {
  return {
    ts: new Date(ts).toISOString(),
    event: "acquire",
    name: "x",
    lock_id: null,
    fence: null,
    owner: "o",
    agent_id: "a",
    host: "h",
    pid: 1,
    ttl_ms: null,
    reason: null,
    detail: null,
    ...e,
  };
}

Deno.test("the builder stays bounded: 100 names are 100 rows, 5,000 holds of one name are merged into buckets, earlier holds start at the window", () => {
  const b = new TimelineBuilder(0, 1_000_000, { cap: 100 });
  for (let n = 0; n < 100; n++) {
    b.add(event(1_000 + n, { name: `lock-${n}`, lock_id: `l${n}`, owner: `o${n % 7}` }));
  }
  for (let i = 0; i < 5_000; i++) {
    const t = 10_000 + i * 100;
    b.add(event(t, { name: "busy", lock_id: `b${i}`, owner: i % 3 ? "alice" : "bob" }));
    b.add(
      event(t + 60, {
        event: "release",
        name: "busy",
        lock_id: `b${i}`,
        owner: i % 3 ? "alice" : "bob",
      }),
    );
  }
  // A hold from before the window, released inside it.
  b.add(event(500, { event: "release", name: "old", lock_id: "before", owner: "eve" }));
  const t = b.finish();
  assertEquals(t.rows.length, 102);
  const busy = t.rows.find((r) => r.name === "busy")!;
  assert(busy.bars.length <= 100, String(busy.bars.length));
  assertEquals(busy.bars.reduce((n, bar) => n + bar.count, 0), 5_000);
  assert(t.owners.includes("alice") && t.owners.includes("bob"));
  const old = t.rows.find((r) => r.name === "old")!.bars[0]!;
  assertEquals([old.start, old.end, old.owner], [0, 500, "eve"]);
  const open = t.rows.find((r) => r.name === "lock-3")!.bars[0]!;
  assertEquals(open.end, 1_000_000);
});

Deno.test("the builder's other bounds: a new exclusive hold ends the one still open, slots end by slot, names past the bound share a row, marks close together are one", () => {
  const b = new TimelineBuilder(0, 1_000_000);
  // An exclusive name whose releases were never written (a lost trail): each acquire ends the last.
  for (let i = 0; i < 3; i++) {
    b.add(event(1_000 * (i + 1), { name: "ex", lock_id: `e${i}`, owner: `o${i}` }));
  }
  // A semaphore: slot 0 taken twice ends the first; slot 1 stays open beside it.
  const slot = (n: number) => ({ mode: "slots", slot: n });
  b.add(event(1_000, { name: "sem", lock_id: "s1", owner: "a", detail: slot(0) }));
  b.add(event(2_000, { name: "sem", lock_id: "s2", owner: "b", detail: slot(1) }));
  b.add(event(3_000, { name: "sem", lock_id: "s3", owner: "c", detail: slot(0) }));
  for (let n = 0; n < MAX_ROWS + 50; n++) {
    b.add(event(5_000 + n, { name: `n-${n}`, lock_id: `l${n}` }));
  }
  for (let i = 0; i < 1_000; i++) {
    b.add(event(100_000 + i, { event: "deny", name: "ex", owner: "late" }));
  }
  const t = b.finish();
  assertEquals(t.rows.length, MAX_ROWS);
  assertEquals(t.rows.at(-1)!.name, OTHER_NAMES);
  const ex = t.rows.find((r) => r.name === "ex")!;
  assertEquals(ex.bars.map((bar) => [bar.start, bar.end, bar.owner]), [
    [1_000, 2_000, "o0"],
    [2_000, 3_000, "o1"],
    [3_000, 1_000_000, "o2"],
  ]);
  assertEquals(ex.marks.length, 1);
  assertEquals([ex.marks[0]!.kind, ex.marks[0]!.count], ["deny", 1_000]);
  const sem = t.rows.find((r) => r.name === "sem")!;
  assertEquals(sem.bars.map((bar) => [bar.start, bar.end, bar.owner]), [
    [1_000, 3_000, "a"],
    [2_000, 1_000_000, "b"],
    [3_000, 1_000_000, "c"],
  ]);
});

Deno.test("the builder fits the window to its first event when asked (audit --timeline without --since)", () => {
  const fitted = new TimelineBuilder(0, 1_000_000, { fit: true });
  const fixed = new TimelineBuilder(0, 1_000_000);
  for (const b of [fitted, fixed]) {
    b.add(event(900_000, { lock_id: "a", owner: "ann" }));
    b.add(event(950_000, { event: "release", lock_id: "a", owner: "ann" }));
  }
  // A margin of 3% of the rest of the window (at least 2 s) before the first event.
  assertEquals(fitted.finish().from, 897_000);
  assertEquals(fixed.finish().from, 0);
});

Deno.test("audit --timeline draws holds at the same time (semaphore slots) one above another, an exclusive name's in one lane", async () => {
  const { dir, root } = await freshRoot();
  const at = (owner: string) => ({ root, owner });
  await lokt(["lock", "ci", "--slots", "2"], at("alice"));
  await lokt(["lock", "ci", "--slots", "2"], at("bob"));
  await lokt(["lock", "build"], at("carol"));
  await lokt(["unlock", "build"], at("carol"));
  await lokt(["lock", "build"], at("dave"));
  const svg = (await lokt(["audit", "--timeline"], at("viewer"))).stdout;
  const bars = (name: string) =>
    [...(svg.split(`data-name="${name}"`)[1]!.split("</g>")[0]!).matchAll(
      /<rect class="hold" data-owner="(\w+)"[^>]* y="([\d.]+)"[^>]* height="([\d.]+)"/g,
    )].map((m) => ({ owner: m[1], y: Number(m[2]), height: Number(m[3]) }));
  const ci = bars("ci");
  assertEquals(ci.map((b) => b.owner), ["alice", "bob"]);
  assert(ci[1]!.y >= ci[0]!.y + ci[0]!.height, JSON.stringify(ci));
  const build = bars("build");
  assertEquals(build.map((b) => b.owner), ["carol", "dave"]);
  assertEquals(build[0]!.y, build[1]!.y);
  assertEquals(build[0]!.height, 16);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("audit --timeline over a window: a lock held since before it is drawn (still held, with its real start), a reservation that expired without release ends at its expiry, marked", async () => {
  const { dir, root } = await freshRoot();
  const at = (owner: string) => ({ root, owner });
  assertEquals((await lokt(["lock", "stuck", "--ttl", "1h"], at("stuckagent"))).code, 0);
  assertEquals((await lokt(["reserve", "docs/x.md", "--ttl", "2s"], at("carol"))).code, 0);
  const acquired = Date.now();
  // The reservation runs out; nothing releases or cleans it.
  await waitFor(async () => {
    const doc = JSON.parse((await lokt(["status", "--json"], at("viewer"))).stdout);
    return Date.now() - acquired > 1_200 && doc.reservations[0]?.status === "expired";
  }, "the reservation to expire");
  assertEquals((await lokt(["lock", "stuck"], at("other"))).code, 2);
  // The window starts after the lock and the reservation were taken: no event of it names them.
  const out = await lokt(["audit", "--timeline", "--since", "1s"], at("viewer"));
  assertEquals(out.code, 0, out.stderr);
  const svg = out.stdout;
  assert(wellFormed(svg), "well-formed");
  const row = (name: string) =>
    svg.match(new RegExp(`<g class="row" data-name="${name}"[\\s\\S]*?</g>`))?.[0] ?? "";
  const stuck = row("stuck");
  assertMatch(
    stuck,
    /<rect class="hold" data-owner="stuckagent" data-count="1" data-state="held" data-since="[^"]+"/,
  );
  assertMatch(stuck, /stuckagent held \S+ since \S+ \(before this window\), still held/);
  assertMatch(stuck, /class="mark deny"/);
  const reserved = row("docs/x\\.md");
  assertMatch(
    reserved,
    /<rect class="hold" data-owner="carol" data-count="1" data-state="expired"/,
  );
  assertMatch(reserved, /expired at \S+ and nothing released it/);
  assertMatch(reserved, /class="mark expired"/);
  // What needs a person, at the top: the reservation nobody released, the contended lock.
  const summary = svg.match(/<g class="summary">[\s\S]*?<\/g>/)?.[0] ?? "";
  assertMatch(
    summary,
    /Needs attention: docs\/x\.md \(reserved\) by carol since \S+: expired \S+ ago, not released/,
  );
  assertMatch(summary, /Most contended: stuck \(1 refused, 0 waited\)/);
  await Deno.remove(dir, { recursive: true });
});
