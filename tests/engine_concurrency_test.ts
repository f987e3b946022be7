// Multi-process proofs of the engine's mutual exclusion (docs/contract.md §5).
import { assert, assertEquals } from "./_assert.ts";
import {
  auditEvents,
  FIXTURES,
  lineReader,
  lokt,
  reap,
  spawnScript,
  tempDir,
  waitFor,
} from "./_helpers.ts";
import { currentIdentity } from "../lib/sys/identity.ts";
import { encodeRecord } from "../lib/model/record_codec.ts";
import type { LockRecord } from "../lib/model/lock_record.ts";

function ghostRecord(name: string, overrides: Partial<LockRecord> = {}): LockRecord {
  const now = Date.now();
  return {
    version: 2,
    name,
    lock_id: "0".repeat(32),
    fence: 1,
    owner: "ghost",
    agent_id: "agent-ghost",
    host: "elsewhere",
    machine_id: "other-machine",
    pid: 999_999,
    pid_start: null,
    liveness: "ttl",
    acquired_at: new Date(now - 120_000).toISOString(),
    renewed_at: new Date(now - 120_000).toISOString(),
    ttl_ms: 60_000,
    expires_at: new Date(now - 60_000).toISOString(),
    reason: null,
    command: null,
    hold: "owner",
    pgid: null,
    mode: "exclusive",
    slot: null,
    ...overrides,
  };
}

/** Writes a record atomically and backdates its file time (the storage clock). */
async function plantRecord(root: string, record: LockRecord, ageMs = 120_000): Promise<void> {
  await Deno.mkdir(`${root}/locks`, { recursive: true });
  const path = `${root}/locks/${record.name}.json`;
  const tmp = `${path}.plant`;
  await Deno.writeTextFile(tmp, encodeRecord(record));
  const past = new Date(Date.now() - ageMs);
  await Deno.utime(tmp, past, past);
  await Deno.rename(tmp, path);
}

Deno.test("16 processes x 50 locked increments of a shared counter end at exactly 800", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const counter = `${dir}/counter`;
  await Deno.writeTextFile(counter, "0");
  const workers = Array.from(
    { length: 16 },
    (_, i) =>
      spawnScript(`${FIXTURES}counter_worker.ts`, [root, counter, "50"], { owner: `worker-${i}` }),
  );
  const results = await Promise.all(workers.map((w) => w.output()));
  for (const r of results) {
    assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    const report = JSON.parse(new TextDecoder().decode(r.stdout).trim());
    assertEquals(report.violations, 0);
  }
  assertEquals(await Deno.readTextFile(counter), "800");
  const events = await auditEvents(root);
  assertEquals(events.filter((e) => e.event === "acquire").length, 800);
  assertEquals(events.filter((e) => e.event === "release").length, 800);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("8 processes breaking and acquiring one expired lock leave exactly one holder, 50 rounds", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const rounds = 50;
  const workers = Array.from(
    { length: 8 },
    (_, i) => spawnScript(`${FIXTURES}race_worker.ts`, [root, dir, String(i), String(rounds)]),
  );
  try {
    for (let r = 0; r < rounds; r++) {
      await plantRecord(
        root,
        ghostRecord("contested", { fence: 0, lock_id: `${r}`.padStart(32, "0") }),
      );
      await Deno.writeTextFile(`${dir}/go-${r}`, "");
      const outcomes = await waitFor(
        async () => {
          const found = [];
          for (let i = 0; i < 8; i++) {
            try {
              found.push(JSON.parse(await Deno.readTextFile(`${dir}/result-${r}-${i}`)));
            } catch {
              return null;
            }
          }
          return found;
        },
        `round ${r} results`,
        30_000,
      );
      const winners = outcomes.filter((o) => o.acquired).length;
      assertEquals(winners, 1, `round ${r}: ${JSON.stringify(outcomes)}`);
      const holder = JSON.parse(await Deno.readTextFile(`${root}/locks/contested.json`));
      assert(String(holder.owner).startsWith("racer-"), `round ${r} holder ${holder.owner}`);
    }
  } finally {
    await Promise.all(workers.map((w) => reap(w)));
  }
  // Every removal produced exactly one event: one break per round.
  const events = await auditEvents(root);
  const breaks = events.filter((e) => String(e.event).endsWith("-break"));
  assertEquals(breaks.length, rounds);
  assertEquals(events.filter((e) => e.event === "acquire").length, rounds);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a holder killed with SIGKILL is detected as dead and its lock is taken over", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const holder = spawnScript(`${FIXTURES}holder.ts`, [root, "build"], { owner: "holder" });
  try {
    const lines = lineReader(holder.stdout);
    const ready = JSON.parse((await lines.next()) ?? "{}");
    assert(ready.ready);
    const denied = await lokt(["lock", "build"], { root, owner: "other" });
    assertEquals(denied.code, 2);
    holder.kill("SIGKILL");
    await holder.status;
    const status = await lokt(["status", "build", "--json"], { root, owner: "other" });
    assertEquals(JSON.parse(status.stdout).locks[0].liveness, "dead");
    const taken = await lokt(["lock", "build", "--json"], { root, owner: "other" });
    assertEquals(taken.code, 0, taken.stderr);
    const doc = JSON.parse(taken.stdout);
    assertEquals(doc.broke.event, "dead-break");
    assertEquals(doc.broke.previous.pid, ready.pid);
    assert(doc.lock.fence > ready.fence);
  } finally {
    await reap(holder);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a record whose PID now belongs to another process (start marker differs) is judged dead", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const me = currentIdentity();
  // This test process is alive, but it is not the process that took the lock.
  await plantRecord(
    root,
    ghostRecord("reused", {
      liveness: "process",
      machine_id: me.machineId,
      pid: Deno.pid,
      pid_start: "1",
      ttl_ms: null,
      expires_at: null,
    }),
    0,
  );
  const why = await lokt(["why", "reused", "--json"], { root, owner: "other" });
  assertEquals(why.code, 0, why.stdout);
  assertEquals(JSON.parse(why.stdout).reasons[0].code, "dead");
  // The same record with the right start marker is alive and blocks.
  await plantRecord(
    root,
    ghostRecord("alive", {
      name: "alive",
      liveness: "process",
      machine_id: me.machineId,
      pid: Deno.pid,
      pid_start: me.pidStart,
      ttl_ms: null,
      expires_at: null,
    }),
    0,
  );
  assertEquals((await lokt(["lock", "alive"], { root, owner: "other" })).code, 2);
  const taken = await lokt(["lock", "reused", "--json"], { root, owner: "other" });
  assertEquals(taken.code, 0, taken.stderr);
  assertEquals(JSON.parse(taken.stdout).broke.event, "dead-break");
  await Deno.remove(dir, { recursive: true });
});
