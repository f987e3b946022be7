// Semaphores and shared locks under real concurrency (docs/contract.md §14): many
// processes cycling through guard, the guarded commands themselves checking
// the invariants against a counter kept under a separate flock(1); readers and
// writers; a queued writer against a stream of readers; SIGKILLed holders.
import { assert, assertEquals } from "../_assert.ts";
import {
  auditEvents,
  baseEnv,
  CLI,
  endGroup,
  freshRoot,
  lineReader,
  lokt,
  queueLength,
  reap,
  spawnLokt,
  waitFor,
} from "../_helpers.ts";

const LOKT = `${Deno.execPath()} run -A --quiet ${CLI}`;

/**
 * Writes a guarded command that enters a critical region under `flock(1)`,
 * checks and records the invariant, stays a moment, and leaves; any
 * violation is appended to `violations`. Returns the command's argv.
 */
async function checker(dir: string, name: string, enter: string, leave: string) {
  await Deno.writeTextFile(`${dir}/${name}.enter.sh`, `${enter}\n`);
  await Deno.writeTextFile(`${dir}/${name}.leave.sh`, `${leave}\n`);
  await Deno.writeTextFile(
    `${dir}/${name}.sh`,
    [
      `flock ${dir}/region.lock sh ${dir}/${name}.enter.sh`,
      "sleep 0.05",
      `flock ${dir}/region.lock sh ${dir}/${name}.leave.sh`,
    ].join("\n") + "\n",
  );
  return ["sh", `${dir}/${name}.sh`];
}

/** A shell loop running `guard <args> -- <argv>` `rounds` times, noting failed guards. */
function loop(dir: string, rounds: number, args: string, argv: string[]): string {
  return `for i in $(seq ${rounds}); do ${LOKT} guard ${args} -- ${
    argv.join(" ")
  } || echo "guard exit $?" >> ${dir}/violations; done`;
}

function shell(script: string, root: string, owner: string): Deno.ChildProcess {
  return new Deno.Command("sh", {
    args: ["-c", script],
    env: baseEnv({ root, owner }),
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
  }).spawn();
}

async function lines(path: string): Promise<string[]> {
  try {
    return (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "");
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
}

Deno.test("8 processes x 30 guard --slots 3 cycles: never more than 3 holders, every LOKT_SLOT unique among them", async () => {
  const { dir, root } = await freshRoot();
  await Deno.writeTextFile(`${dir}/count`, "0\n");
  const enter = [
    `n=$(($(cat ${dir}/count) + 1)); echo $n > ${dir}/count; echo $n >> ${dir}/peaks`,
    `[ $n -gt 3 ] && echo "over $n" >> ${dir}/violations`,
    `case "$LOKT_SLOT" in 0|1|2) ;; *) echo "bad slot $LOKT_SLOT" >> ${dir}/violations;; esac`,
    `[ -e ${dir}/slot.$LOKT_SLOT ] && echo "slot $LOKT_SLOT twice" >> ${dir}/violations`,
    `touch ${dir}/slot.$LOKT_SLOT`,
  ].join("\n");
  const leave = [
    `rm ${dir}/slot.$LOKT_SLOT`,
    `echo $(($(cat ${dir}/count) - 1)) > ${dir}/count`,
    `echo done >> ${dir}/cycles`,
  ].join("\n");
  const argv = await checker(dir, "slot", enter, leave);
  const script = loop(dir, 30, "pool --slots 3 --wait --timeout 300s", argv);
  const workers = Array.from({ length: 8 }, (_, i) => shell(script, root, `w${i}`));
  try {
    const results = await Promise.all(workers.map((w) => w.output()));
    for (const r of results) assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
    assertEquals(await lines(`${dir}/violations`), []);
    assertEquals((await lines(`${dir}/cycles`)).length, 240);
    const peak = Math.max(...(await lines(`${dir}/peaks`)).map(Number));
    // The holders did overlap (the test would see a fourth), up to the 3 allowed.
    assert(peak >= 2 && peak <= 3, `peak ${peak}`);
    const acquired = (await auditEvents(root)).filter((e) => e.event === "acquire");
    assertEquals(acquired.length, 240);
    const fences = acquired.map((e) => e.fence as number);
    assertEquals(new Set(fences).size, 240, "every hold has its own fence");
  } finally {
    for (const w of workers) {
      try {
        w.kill("SIGKILL");
      } catch {
        // Done.
      }
    }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readers overlap, and a writer never overlaps a reader or another writer", async () => {
  const { dir, root } = await freshRoot();
  // Three readers each wait (bounded) until all three are in at once.
  const together = (i: number) =>
    `touch ${dir}/in.${i}; for t in $(seq 200); do [ $(ls ${dir} | grep -c '^in\\.') -ge 3 ] && exit 0; sleep 0.05; done; exit 9`;
  const readers = [0, 1, 2].map((i) =>
    spawnLokt(["guard", "deps", "--shared", "--wait", "--", "sh", "-c", together(i)], {
      root,
      owner: `r${i}`,
    })
  );
  const codes = await Promise.all(readers.map(async (r) => (await r.output()).code));
  assertEquals(codes, [0, 0, 0]);
  // Mixed: 4 readers and 2 writers, 6 rounds each; the commands check the rule.
  const reader = await checker(
    dir,
    "reader",
    `[ -e ${dir}/writer ] && echo "reader beside writer" >> ${dir}/violations; echo r >> ${dir}/readers`,
    `sed -i 1d ${dir}/readers`,
  );
  const writer = await checker(
    dir,
    "writer",
    [
      `[ -s ${dir}/readers ] && echo "writer beside readers" >> ${dir}/violations`,
      `[ -e ${dir}/writer ] && echo "two writers" >> ${dir}/violations`,
      `touch ${dir}/writer`,
    ].join("\n"),
    `rm ${dir}/writer`,
  );
  const procs = [
    ...[0, 1, 2, 3].map((i) =>
      shell(loop(dir, 6, "rw --shared --wait --timeout 120s", reader), root, `r${i}`)
    ),
    ...[0, 1].map((i) => shell(loop(dir, 6, "rw --wait --timeout 120s", writer), root, `w${i}`)),
  ];
  const results = await Promise.all(procs.map((p) => p.output()));
  for (const r of results) assertEquals(r.code, 0, new TextDecoder().decode(r.stderr));
  assertEquals(await lines(`${dir}/violations`), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a queued writer is not starved by a stream of readers: later readers queue behind it", async () => {
  const { dir, root } = await freshRoot();
  const first = spawnLokt(
    [
      "guard",
      "deps",
      "--shared",
      "--",
      "sh",
      "-c",
      `echo up; while [ ! -e ${dir}/go ]; do sleep 0.02; done`,
    ],
    { root, owner: "r0" },
  );
  const waiting: Deno.ChildProcess[] = [];
  try {
    assertEquals(await lineReader(first.stdout).next(), "up");
    waiting.push(
      spawnLokt([
        "guard",
        "deps",
        "--wait",
        "--timeout",
        "60s",
        "--",
        "sh",
        "-c",
        `echo W >> ${dir}/order`,
      ], {
        root,
        owner: "writer",
      }),
    );
    await waitFor(async () => (await queueLength(root, "deps")) === 1, "the writer to queue");
    // Readers arriving now would fit beside r0, but the writer is queued first.
    const now = await lokt(["lock", "deps", "--shared"], { root, owner: "late" });
    assertEquals(now.code, 2, now.stderr);
    for (const i of [1, 2, 3]) {
      waiting.push(
        spawnLokt(
          [
            "guard",
            "deps",
            "--shared",
            "--wait",
            "--timeout",
            "60s",
            "--",
            "sh",
            "-c",
            `echo R >> ${dir}/order`,
          ],
          { root, owner: `r${i}` },
        ),
      );
    }
    await waitFor(async () => (await queueLength(root, "deps")) === 4, "the readers to queue");
    await Deno.writeTextFile(`${dir}/go`, "");
    const codes = await Promise.all(waiting.map(async (p) => (await p.output()).code));
    assertEquals(codes, [0, 0, 0, 0]);
    assertEquals(await lines(`${dir}/order`), ["W", "R", "R", "R"]);
  } finally {
    await reap(first);
    for (const p of waiting) await reap(p);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SIGKILLed slot holders are reclaimed while the others keep theirs", async () => {
  const { dir, root } = await freshRoot();
  const holders = [0, 1, 2].map((i) =>
    spawnLokt(["guard", "pool", "--slots", "3", "--", "sh", "-c", "echo up; sleep 60"], {
      root,
      owner: `h${i}`,
    })
  );
  try {
    for (const h of holders) assertEquals(await lineReader(h.stdout).next(), "up");
    const status = async () =>
      JSON.parse((await lokt(["status", "pool", "--json"], { root })).stdout).locks[0];
    const before = await waitFor(async () => {
      const s = await status();
      return s.holders.every((h: { pgid: number | null }) => h.pgid !== null) ? s : null;
    }, "every command group recorded");
    const victim = before.holders.find((h: { owner: string }) => h.owner === "h1");
    // The guard and its command: nothing of that hold is left alive.
    holders[1]!.kill("SIGKILL");
    await holders[1]!.status;
    await endGroup(victim.pgid);
    const taken = await lokt(["lock", "pool", "--slots", "3", "--json"], { root, owner: "next" });
    assertEquals(taken.code, 0, taken.stderr);
    assertEquals(JSON.parse(taken.stdout).slot, victim.slot);
    const after = await status();
    const keep = (s: { holders: { owner: string; lock_id: string }[] }) =>
      s.holders.filter((h) => h.owner !== "h1" && h.owner !== "next").map((h) => h.lock_id);
    assertEquals(keep(after), keep(before));
    assertEquals(after.holders.length, 3);
    const broke = (await auditEvents(root)).filter((e) => e.event === "dead-break");
    assertEquals(broke.map((e) => e.lock_id), [victim.lock_id]);
    // The survivors' guards still hold and release normally.
    for (const i of [0, 2]) holders[i]!.kill("SIGTERM");
    for (const i of [0, 2]) await holders[i]!.status;
    const last = await status();
    assertEquals(last.holders.map((h: { owner: string }) => h.owner), ["next"]);
  } finally {
    for (const h of holders) await reap(h);
    await Deno.remove(dir, { recursive: true });
  }
});
