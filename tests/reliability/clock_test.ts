// Reliability: wall clocks that lie, and a holder suspended past its TTL.
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { auditEvents, lineReader, lokt, reap, spawnLokt, tempDir, waitFor } from "../_helpers.ts";

function record(name: string, at: string, expires: string) {
  return {
    version: 1,
    name,
    lock_id: "c".repeat(32),
    fence: 1,
    owner: "skewed",
    agent_id: "a",
    host: "h",
    machine_id: "elsewhere",
    pid: 1,
    pid_start: null,
    liveness: "ttl",
    acquired_at: at,
    renewed_at: at,
    ttl_ms: 60_000,
    expires_at: expires,
    reason: null,
    command: null,
  };
}

async function plant(root: string, name: string, value: object, fileAgeMs: number) {
  await Deno.mkdir(`${root}/locks`, { recursive: true });
  const path = `${root}/locks/${name}.json`;
  await Deno.writeTextFile(path, JSON.stringify(value));
  const t = new Date(Date.now() - fileAgeMs);
  await Deno.utime(path, t, t);
}

Deno.test("a record dated in the future is judged by its file time: held while fresh, reported, then expired", async () => {
  const root = `${await tempDir()}/root`;
  await plant(
    root,
    "future",
    record("future", "2099-01-01T00:00:00.000Z", "2099-01-01T00:01:00.000Z"),
    0,
  );
  assertEquals((await lokt(["lock", "future"], { root, owner: "b" })).code, 2);
  const status = JSON.parse(
    (await lokt(["status", "future", "--json"], { root, owner: "b" })).stdout,
  );
  assertMatch(status.locks[0].clock_skew, /in the future/);
  const why = await lokt(["why", "future"], { root, owner: "b" });
  assertMatch(why.stdout, /clock-skew/);
  // Written two minutes ago by the storage's clock: its 60 s TTL is over, whatever it claims.
  await plant(
    root,
    "future",
    record("future", "2099-01-01T00:00:00.000Z", "2099-01-01T00:01:00.000Z"),
    120_000,
  );
  const taken = await lokt(["lock", "future", "--json"], { root, owner: "b" });
  assertEquals(taken.code, 0, taken.stderr);
  assertEquals(JSON.parse(taken.stdout).broke.event, "expire-break");
});

Deno.test("a record dated in the far past is not free while its file is fresh", async () => {
  const root = `${await tempDir()}/root`;
  await plant(
    root,
    "past",
    record("past", "1990-01-01T00:00:00.000Z", "1990-01-01T00:01:00.000Z"),
    0,
  );
  const denied = await lokt(["lock", "past"], { root, owner: "b" });
  assertEquals(
    denied.code,
    2,
    "a fresh record must not be taken because its writer's clock is behind",
  );
  await plant(
    root,
    "past",
    record("past", "1990-01-01T00:00:00.000Z", "1990-01-01T00:01:00.000Z"),
    120_000,
  );
  assertEquals((await lokt(["lock", "past"], { root, owner: "b" })).code, 0);
});

Deno.test("a holder suspended (SIGSTOP) past its TTL learns it lost the lock and does not delete the new holder's", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const marker = `${dir}/child-term`;
  const guard = spawnLokt([
    "guard",
    "stopped",
    "--ttl",
    "1s",
    "--grace",
    "1s",
    "--",
    "sh",
    "-c",
    `trap 'echo term > ${marker}; exit 143' TERM; echo ready; while :; do sleep 0.05; done`,
  ], { root, owner: "sleeper" });
  try {
    const lines = lineReader(guard.stdout);
    assertEquals(await lines.next(), "ready");
    // Stopped outside its critical sections: once it has recorded its command's
    // group (a process stopped while it holds a name's flock blocks that name).
    await waitFor(async () => {
      try {
        return JSON.parse(await Deno.readTextFile(`${root}/locks/stopped.json`)).pgid !== null;
      } catch {
        return false;
      }
    }, "the command's group in the record");
    guard.kill("SIGSTOP");
    // Past TTL + skew, another owner takes it over.
    await waitFor(
      async () => (await lokt(["lock", "stopped"], { root, owner: "new" })).code === 0,
      "takeover",
      10_000,
      200,
    );
    const taken = JSON.parse(await Deno.readTextFile(`${root}/locks/stopped.json`));
    assertEquals(taken.owner, "new");
    guard.kill("SIGCONT");
    assertEquals((await guard.status).code, 143);
    assertEquals((await Deno.readTextFile(marker)).trim(), "term");
    const after = JSON.parse(await Deno.readTextFile(`${root}/locks/stopped.json`));
    assertEquals(
      after.lock_id,
      taken.lock_id,
      "the resumed holder must not touch the new holder's record",
    );
    const events = await auditEvents(root);
    assert(events.some((e) => e.event === "lost" && e.owner === "sleeper"), "no lost event");
    assert(events.some((e) => e.event === "expire-break" && e.owner === "new"));
    assertEquals(events.filter((e) => e.event === "release" && e.owner === "sleeper").length, 0);
  } finally {
    try {
      guard.kill("SIGCONT");
    } catch {
      // Already exited.
    }
    await reap(guard);
  }
  await Deno.remove(dir, { recursive: true });
});
