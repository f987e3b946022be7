/**
 * Reliability scenarios shared by the CI suite (small counts) and the soak
 * run (`deno task soak`, large counts).
 *
 * @module
 */

import { CLI, FIXTURES, lokt, queueLength, spawnScript } from "../_helpers.ts";

/** Totals of a scenario run. */
export interface Figures {
  operations: number;
  kills: number;
  violations: number;
  problems: string[];
}

/**
 * Many agents (library `withLock` and CLI `guard --wait`) increment counters
 * under one or several locks; the counters must be exact and no "inside"
 * marker may ever be seen by two holders.
 */
export async function loadScenario(
  dir: string,
  options: { libWorkers: number; cliWorkers: number; iterations: number; locks: number },
): Promise<Figures> {
  const root = `${dir}/root`;
  const names = Array.from({ length: options.locks }, (_, i) => `load-${i}`);
  for (const name of names) await Deno.writeTextFile(`${dir}/${name}.count`, "0");
  const violationsFile = `${dir}/cli-violations`;
  const children: Deno.ChildProcess[] = [];
  const expected = new Map<string, number>(names.map((n) => [n, 0]));
  for (let w = 0; w < options.libWorkers; w++) {
    const name = names[w % names.length] as string;
    expected.set(name, (expected.get(name) ?? 0) + options.iterations);
    children.push(
      spawnScript(`${FIXTURES}counter_worker.ts`, [
        root,
        `${dir}/${name}.count`,
        String(options.iterations),
        name,
      ], {
        owner: `lib-${w}`,
      }),
    );
  }
  for (let w = 0; w < options.cliWorkers; w++) {
    const name = names[(w + 1) % names.length] as string;
    expected.set(name, (expected.get(name) ?? 0) + options.iterations);
    const count = `${dir}/${name}.count`;
    const inside = `${count}.inside`;
    const body = `( set -C; echo $$ > ${inside} ) 2>/dev/null || echo v >> ${violationsFile}; ` +
      `n=$(cat ${count}); echo $((n+1)) > ${count}; rm -f ${inside}`;
    const loop = `i=0; while [ $i -lt ${options.iterations} ]; do ` +
      `"${Deno.execPath()}" run -A --quiet ${CLI} guard ${name} --wait --timeout 120s -- sh -c '${body}' || exit 1; ` +
      `i=$((i+1)); done`;
    children.push(
      new Deno.Command("sh", {
        args: ["-c", loop],
        env: { ...Deno.env.toObject(), LOKT_ROOT: root, LOKT_OWNER: `cli-${w}`, NO_COLOR: "1" },
        stdout: "piped",
        stderr: "piped",
      }).spawn(),
    );
  }
  const problems: string[] = [];
  let violations = 0;
  for (const child of children) {
    const out = await child.output();
    if (out.code !== 0) {
      problems.push(
        `worker exited ${out.code}: ${new TextDecoder().decode(out.stderr).slice(0, 300)}`,
      );
    }
    const text = new TextDecoder().decode(out.stdout).trim();
    if (text.startsWith("{")) violations += JSON.parse(text).violations;
  }
  violations +=
    (await Deno.readTextFile(violationsFile).catch(() => "")).split("\n").filter((l) => l).length;
  for (const name of names) {
    const got = Number(await Deno.readTextFile(`${dir}/${name}.count`));
    if (got !== expected.get(name)) {
      problems.push(`${name}: counter ${got}, expected ${expected.get(name)}`);
      violations++;
    }
  }
  const operations = [...expected.values()].reduce((a, b) => a + b, 0);
  return { operations, kills: 0, violations, problems };
}

/**
 * Workers loop acquire -> critical section -> release with a TTL (so they
 * renew) while a driver SIGKILLs a random one every `killEveryMs` and starts a
 * replacement: kills land while acquiring, inside the critical section,
 * during renewal and while waiting. Afterwards every lock must be acquirable,
 * the queue empty of dead waiters, no record corrupt, every audit line valid.
 */
export async function crashScenario(
  dir: string,
  options: { workers: number; durationMs: number; killEveryMs: number; locks: number },
): Promise<Figures> {
  const root = `${dir}/root`;
  const names = Array.from({ length: options.locks }, (_, i) => `chaos-${i}`);
  const spawn = (id: number) =>
    spawnScript(`${FIXTURES}chaos_worker.ts`, [root, dir, String(id), names.join(","), "20"], {
      owner: `chaos-${id}`,
    });
  const workers = Array.from({ length: options.workers }, (_, i) => spawn(i));
  let kills = 0;
  let next = options.workers;
  const until = Date.now() + options.durationMs;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, options.killEveryMs * (0.5 + Math.random())));
    const victim = Math.floor(Math.random() * workers.length);
    const child = workers[victim] as Deno.ChildProcess;
    try {
      child.kill("SIGKILL");
      kills++;
    } catch {
      // Already gone.
    }
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
    workers[victim] = spawn(next++);
  }
  for (const child of workers) {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
    await child.status;
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel().catch(() => {});
  }
  const problems: string[] = [];
  let operations = 0;
  let violations = 0;
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.startsWith("stats-")) continue;
    const stats = JSON.parse(
      await Deno.readTextFile(`${dir}/${entry.name}`).catch(() => "{}") || "{}",
    );
    operations += stats.cycles ?? 0;
    violations += stats.violations ?? 0;
  }
  problems.push(...await checkRecovered(root, names));
  return { operations, kills, violations, problems };
}

/** After a crash run: every lock acquirable, queues empty, no corrupt record, audit valid. */
export async function checkRecovered(root: string, names: string[]): Promise<string[]> {
  const problems: string[] = [];
  const status = await lokt(["status", "--json"], { root, owner: "checker" });
  for (const lock of JSON.parse(status.stdout).locks) {
    if (lock.status === "corrupt") {
      problems.push(`corrupt record left: ${lock.name} (${lock.corruption})`);
    }
  }
  for (const name of names) {
    const taken = await lokt(["lock", name, "--wait", "--timeout", "20s", "--ttl", "1m"], {
      root,
      owner: "checker",
    });
    if (taken.code !== 0) problems.push(`${name} not recovered: ${taken.stderr.trim()}`);
    else await lokt(["unlock", name], { root, owner: "checker" });
    const queued = await queueLength(root, name);
    if (queued !== 0) problems.push(`${name}: ${queued} dead waiter ticket(s) left in the queue`);
    const mutex = await Deno.readTextFile(`${root}/mutex/${name}.lock`).catch(() => "");
    if (mutex && !/^(\d{20}\n){1,2}$/.test(mutex)) {
      problems.push(`${name}: mutex counters corrupt: ${JSON.stringify(mutex)}`);
    }
  }
  const audit = await Deno.readTextFile(`${root}/audit.jsonl`).catch(() => "");
  let bad = 0;
  for (const line of audit.split("\n")) {
    if (!line) continue;
    try {
      JSON.parse(line);
    } catch {
      bad++;
    }
  }
  if (bad) problems.push(`${bad} audit line(s) are not valid JSON`);
  return problems;
}
