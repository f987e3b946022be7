// The decisions alone (docs/contract.md §4a, §5): what an acquirer, a releaser
// and a breaker may do with a judged lock, on states built by judge() with
// fake probes and a fixed clock.
import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import { newRecord } from "../../model/lock_record.ts";
import type { LockRecord, RecordSpec } from "../../model/lock_record.ts";
import { encodeRecord } from "../../model/record_codec.ts";
import type { Probes } from "./hold_judge.ts";
import { decideAcquire, decideBreak, decideRelease, refuseReacquire } from "./decisions.ts";
import { judge } from "./judge.ts";

const ALIVE: Probes = { process: () => "alive", group: () => "dead", command: () => "dead" };
const T0 = Date.parse("2026-12-01T00:00:00Z");
const HOLDER = { owner: "a", agentId: "x", host: "h", machineId: "m1", pid: 42, pidStart: "7" };

function stateOf(as: string, spec: Partial<RecordSpec> = {}, now = T0) {
  const record: LockRecord = newRecord(
    "build",
    5,
    HOLDER,
    { ttlMs: 60_000, liveness: "ttl", hold: "owner", ...spec },
    T0,
  );
  const entry = { raw: encodeRecord(record), problem: null, mtimeMs: T0, token: "t" };
  return { state: judge("build", entry, { owner: as, machineId: "m1" }, now, ALIVE), record };
}

Deno.test("decideAcquire(): the owner renews its owner hold; another owner is denied; a stale hold is taken over", () => {
  assertEquals(decideAcquire(stateOf("a").state).kind, "renew");
  assertEquals(decideAcquire(stateOf("b").state).kind, "deny");
  assertEquals(decideAcquire(stateOf("b", {}, T0 + 3_600_000).state), {
    kind: "take-over",
    event: "expire-break",
  });
});

Deno.test("decideAcquire(): an instance hold excludes its own owner; guard inside an owner hold runs nested", () => {
  const instance = stateOf("a", { hold: "instance", liveness: "process" }).state;
  assertEquals(decideAcquire(instance, { hold: "instance", inherited: null }).kind, "deny");
  assertEquals(
    decideAcquire(stateOf("a").state, { hold: "instance", inherited: null }).kind,
    "nested",
  );
  // Below the guard that holds it (LOKT_HELD), a process runs nested whoever it is.
  const { state, record } = stateOf("b", { hold: "instance", liveness: "process" });
  assertEquals(
    decideAcquire(state, { hold: "instance", inherited: record.lock_id }).kind,
    "nested",
  );
});

Deno.test("decideRelease() and decideBreak(): only the owner releases; --break-stale refuses a live hold, --force breaks it", () => {
  assertEquals(decideRelease(stateOf("a").state, "a").owner, "a");
  assertThrows(() => decideRelease(stateOf("b").state, "b"), { name: "NotOwnerError" });
  assertThrows(() => decideBreak(stateOf("b").state, "stale"), { name: "NotStaleError" });
  assertEquals(decideBreak(stateOf("b").state, "force"), "force-break");
  assertEquals(decideBreak(stateOf("b", {}, T0 + 3_600_000).state, "stale"), "expire-break");
});

Deno.test("refuseReacquire(): a library process never acquires again what it holds exclusively", () => {
  const { state, record } = stateOf("a", { hold: "instance", liveness: "process" });
  assertEquals(
    refuseReacquire(state, new Set([record.lock_id]), "exclusive")?.name,
    "LockHeldError",
  );
  assertEquals(refuseReacquire(state, new Set(["someone else's"]), "exclusive"), null);
});
