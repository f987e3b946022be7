/**
 * The soak's fault round (`deno task soak`): the faults of a swarm's week —
 * a harness SIGKILLed while its session holds a lock and a reservation, a
 * broken `lokt.jsonc` while holders give back, a Redis server flushed and
 * restarted without persistence — each checked for what must never happen:
 * a hold stranded past its harness, a refused give-back, a fence going
 * backwards.
 *
 * @module
 */

import { Harness, payload } from "../_stand_in_harness.ts";
import { git, lokt } from "../_helpers.ts";
import { startRedis } from "../_redis.ts";

/** What one fault round found. */
export interface FaultFigures {
  /** Holds still held more than 2 s after their harness died. */
  stranded: number;
  /** Give-backs (unlock, release) refused because of a broken lokt.jsonc. */
  blockedGiveBacks: number;
  /** Fences that went backwards across a Redis flush or restart. */
  fencesBackwards: number;
  /** What went wrong otherwise. */
  problems: string[];
}

/**
 * Runs one round of each fault in a fresh repository under `dir`.
 *
 * @param dir A scratch directory.
 * @returns The figures.
 */
export async function faultRound(dir: string): Promise<FaultFigures> {
  const figures: FaultFigures = {
    stranded: 0,
    blockedGiveBacks: 0,
    fencesBackwards: 0,
    problems: [],
  };
  await git(dir, "init", "-q");
  await harnessCrash(dir, figures);
  await brokenConfig(dir, figures);
  await redisLoss(dir, figures);
  return figures;
}

async function harnessCrash(dir: string, figures: FaultFigures): Promise<void> {
  const harness = new Harness(dir);
  const session = `soak-${crypto.randomUUID()}`;
  await harness.hook(
    "claude",
    payload("claude_session_start.json", { SESSION: session, CWD: dir }),
  );
  for (const command of ["lokt lock soak-tag --ttl 30m", "lokt reserve soak-docs --ttl 30m"]) {
    const out = await harness.shell(command);
    if (out.code !== 0) figures.problems.push(`${command}: ${out.stderr.trim()}`);
  }
  Deno.kill(harness.pid, "SIGKILL");
  await harness.close().catch(() => {});
  const deadline = Date.now() + 2_000;
  let freed = false;
  while (!freed && Date.now() < deadline) {
    freed =
      (await lokt(["lock", "soak-tag", "--ttl", "1m"], { cwd: dir, owner: "soak-next" })).code ===
        0;
  }
  const reserved =
    (await lokt(["reserve", "soak-docs", "--ttl", "1m"], { cwd: dir, owner: "soak-next" })).code ===
      0;
  figures.stranded += (freed ? 0 : 1) + (reserved ? 0 : 1);
  await lokt(["unlock", "--mine"], { cwd: dir, owner: "soak-next" });
  await lokt(["release", "--all"], { cwd: dir, owner: "soak-next" });
}

async function brokenConfig(dir: string, figures: FaultFigures): Promise<void> {
  await lokt(["lock", "soak-cfg", "--ttl", "1m"], { cwd: dir, owner: "soak-a" });
  await lokt(["reserve", "soak-cfg-docs", "--ttl", "1m"], { cwd: dir, owner: "soak-a" });
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, "{ broken");
  for (const args of [["unlock", "soak-cfg"], ["release", "soak-cfg-docs"]]) {
    if ((await lokt(args, { cwd: dir, owner: "soak-a" })).code !== 0) figures.blockedGiveBacks++;
  }
  await Deno.remove(`${dir}/lokt.jsonc`);
}

async function redisLoss(dir: string, figures: FaultFigures): Promise<void> {
  let server = await startRedis();
  const env = { LOKT_BACKEND: `redis://127.0.0.1:${server.port}`, LOKT_NAMESPACE: "soak" };
  let last = 0;
  const take = async () => {
    const out = await lokt(["lock", "soak-fence", "--ttl", "1m", "--json"], {
      cwd: dir,
      owner: "soak-r",
      env,
    });
    if (out.code !== 0) return void figures.problems.push(`redis lock: ${out.stderr.trim()}`);
    const fence = JSON.parse(out.stdout).lock.fence as number;
    if (fence <= last) figures.fencesBackwards++;
    last = fence;
    await lokt(["unlock", "soak-fence"], { cwd: dir, owner: "soak-r", env });
  };
  try {
    await take();
    await new Deno.Command("redis-cli", { args: ["-p", String(server.port), "FLUSHALL"] }).output();
    await take();
    const port = server.port;
    await server.stop();
    server = await startRedis([], false, port);
    await take();
  } finally {
    await server.stop();
  }
}
