// A guard killed at the wrong instant never lets two holders run (docs/contract.md
// §5, §7): before its command's group is recorded, the command is found by
// the LOKT_LOCK_ID guard gave it; and a group whose only members are zombies
// counts as ended, so its lock is not held forever.
import { assertEquals, assertMatch } from "./_assert.ts";
import { freshRoot, lokt, reap, waitFor } from "./_helpers.ts";

/** A dead process's pid and start marker: a holder that is provably gone. */
async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

/** A guard's record as a guard writes it, for a guard that is already dead. */
async function writeGuardRecord(root: string, name: string, lockId: string, pgid: number | null) {
  assertEquals((await lokt(["lock", name, "--ttl", "1h"], { root, owner: "first" })).code, 0);
  const path = `${root}/locks/${name}.json`;
  const record = JSON.parse(await Deno.readTextFile(path));
  Object.assign(record, {
    lock_id: lockId,
    pid: await deadPid(),
    pid_start: "1",
    liveness: "process",
    hold: "instance",
    ttl_ms: null,
    expires_at: null,
    command: ["sh", "-c", "work"],
    pgid,
  });
  await Deno.writeTextFile(path, JSON.stringify(record));
}

Deno.test("a guard killed before it recorded its command's group: the command, found by its LOKT_LOCK_ID, keeps the lock (orphaned), not a dead-break", async () => {
  const { root } = await freshRoot();
  const lockId = "ab".repeat(16);
  await writeGuardRecord(root, "build", lockId, null);
  // The command the dead guard started, still running, with the id guard gave it.
  const command = new Deno.Command("sleep", {
    args: ["60"],
    env: { LOKT_LOCK_ID: lockId },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const denied = await lokt(["lock", "build"], { root, owner: "second" });
    assertEquals(denied.code, 2, denied.stderr);
    // The refusal says what it is: a dead guard's command, not a live holder.
    assertMatch(denied.stderr, /guard \(pid \d+\), which died while its command still runs/);
    const status = JSON.parse((await lokt(["status", "--json"], { root, owner: "x" })).stdout);
    assertEquals(status.locks[0].liveness, "orphaned");
    assertEquals((await lokt(["unlock", "build", "--break-stale"], { root, owner: "x" })).code, 1);
  } finally {
    await reap(command);
  }
  // Once the command is gone the lock is free.
  await waitFor(
    async () => (await lokt(["lock", "build"], { root, owner: "second" })).code === 0,
    "the lock to be free",
  );
});

Deno.test("a guard's group whose only members are zombies counts as ended: the lock is taken over", async () => {
  const { root } = await freshRoot();
  // A parent outside the group never reaps its child, which led its own group and exited: a zombie.
  const parent = new Deno.Command("perl", {
    args: [
      "-e",
      '$| = 1; my $p = fork(); if (!$p) { setpgrp(0, 0); exit 0 } print "$p\\n"; sleep 60',
    ],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  try {
    const reader = parent.stdout.pipeThrough(new TextDecoderStream()).getReader();
    const zombie = Number((await reader.read()).value?.trim());
    await waitFor(
      () => Deno.readTextFileSync(`/proc/${zombie}/stat`).split(") ")[1]?.startsWith("Z"),
      "a zombie",
    );
    await writeGuardRecord(root, "deploy", "cd".repeat(16), zombie);
    const taken = await lokt(["lock", "deploy"], { root, owner: "second" });
    assertEquals(taken.code, 0, taken.stderr);
    assertMatch(taken.stdout + taken.stderr, /dead|took over|acquired/);
    reader.releaseLock();
  } finally {
    await reap(parent);
  }
});

Deno.test("a guard SIGKILLed as soon as its command started: the next owner is refused while the command runs, five times over", async () => {
  const { dir, root } = await freshRoot();
  for (let round = 0; round < 5; round++) {
    const pidFile = `${dir}/pid-${round}`;
    const guard = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--quiet",
        new URL("../cli.ts", import.meta.url).pathname,
        "guard",
        "race",
        "--",
        "sh",
        "-c",
        `echo $$ > ${pidFile}; exec sleep 30`,
      ],
      env: { LOKT_ROOT: root, LOKT_OWNER: "first", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const pid = await waitFor(
      () => {
        try {
          return Number(Deno.readTextFileSync(pidFile).trim()) || null;
        } catch {
          return null;
        }
      },
      "the command to start",
      15_000,
      1,
    );
    Deno.kill(guard.pid, "SIGKILL");
    await guard.status;
    const denied = await lokt(["lock", "race"], { root, owner: "second" });
    assertEquals(denied.code, 2, `round ${round}: ${denied.stderr}`);
    Deno.kill(pid, "SIGKILL");
    await waitFor(
      async () => (await lokt(["lock", "race"], { root, owner: "second" })).code === 0,
      "the lock to be free",
    );
    assertEquals((await lokt(["unlock", "race"], { root, owner: "second" })).code, 0);
    await guard.stdout.cancel();
    await guard.stderr.cancel();
  }
});
