// judge() alone: the verdict on a stored entry, with fake process probes and
// a fixed clock, so each rule of docs/contract.md §5 and §10 is shown apart.
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { encodeRecord } from "../../model/record_codec.ts";
import type { LockRecord, RecordSpec } from "../../model/lock_record.ts";
import { newRecord } from "../../model/lock_record.ts";
import type { Entry } from "../../store/lock_store.ts";
import type { Probes } from "./hold_judge.ts";
import { judge } from "./judge.ts";

const ME = { owner: "me", machineId: "m1" };
const HOLDER = { owner: "other", agentId: "a", host: "h", machineId: "m1", pid: 42, pidStart: "7" };
const ALIVE: Probes = { process: () => "alive", group: () => "dead", command: () => "dead" };
const DEAD: Probes = { process: () => "dead", group: () => "dead", command: () => "dead" };
const T0 = Date.parse("2026-12-01T00:00:00Z");

function entryOf(record: LockRecord | string, mtimeMs = T0): Entry {
  const raw = typeof record === "string" ? record : encodeRecord(record);
  return { raw, problem: null, mtimeMs, token: "t" };
}

function held(spec: Partial<RecordSpec> = {}, holder = HOLDER): LockRecord {
  return newRecord("build", 3, holder, { ttlMs: 60_000, liveness: "ttl", ...spec }, T0);
}

Deno.test("judge(): no entry is free; a live TTL hold of another owner is held, not mine", () => {
  assertEquals(judge("build", null, ME, T0, ALIVE).status, "free");
  const state = judge("build", entryOf(held()), ME, T0 + 1_000, ALIVE);
  assertEquals([state.status, state.mine, state.expiresInMs], ["held", false, 59_000]);
});

Deno.test("judge(): a TTL hold is expired only past its expiry and the skew tolerance", () => {
  const record = held();
  assertEquals(judge("build", entryOf(record), ME, T0 + 60_500, ALIVE).status, "held");
  assertEquals(judge("build", entryOf(record), ME, T0 + 120_000, ALIVE).status, "expired");
});

Deno.test("judge(): a process hold on this machine is dead when its process is gone, alive when unsure", () => {
  const record = held({ liveness: "process", ttlMs: null });
  assertEquals(judge("build", entryOf(record), ME, T0, DEAD).status, "dead");
  const unsure: Probes = { process: () => "unknown", group: () => "dead", command: () => "dead" };
  assertEquals(judge("build", entryOf(record), ME, T0, unsure).status, "held");
  // Another machine's process cannot be judged here: only its TTL could free it.
  const remote = held({ liveness: "process", ttlMs: null }, { ...HOLDER, machineId: "m2" });
  assertEquals(judge("build", entryOf(remote), ME, T0, DEAD).status, "held");
});

Deno.test("judge(): a dead guard whose command group lives is orphaned, not stale, even past its TTL", () => {
  const record = { ...held({ liveness: "process", hold: "instance" }), pgid: 99 };
  const groupAlive: Probes = { process: () => "dead", group: () => "alive", command: () => "dead" };
  const state = judge("build", entryOf(record), ME, T0 + 3_600_000, groupAlive);
  assertEquals(state.status, "held");
  assertEquals(state.liveness, "orphaned");
});

Deno.test("judge(): garbage, a record naming another lock, and a newer version are corrupt; only a newer one is never replaceable", () => {
  const garbage = judge("build", entryOf("{", T0), ME, T0, ALIVE);
  assertEquals(garbage.status, "corrupt");
  assertEquals(garbage.graceLeftMs !== null && garbage.graceLeftMs > 0, true);
  const old = judge("build", entryOf("{", T0 - 60_000), ME, T0, ALIVE);
  assertEquals(old.graceLeftMs, 0);
  const other = judge("build", entryOf({ ...held(), name: "test" }, T0 - 60_000), ME, T0, ALIVE);
  assertEquals([other.status, other.graceLeftMs], ["corrupt", 0]);
  const newer = judge(
    "build",
    entryOf(JSON.stringify({ version: 9, name: "build" })),
    ME,
    T0,
    ALIVE,
  );
  assertEquals([newer.status, newer.graceLeftMs], ["corrupt", null]);
});
