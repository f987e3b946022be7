// Fences on Redis never go backwards, whatever the server loses (docs/contract.md
// §17): after FLUSHALL, and after a restart without persistence, the next
// fence is above every fence handed out before; and a holder cut off from the
// server stops its command before its lease runs out.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { git, lokt, reap, spawnLokt, tempDir, waitFor } from "./_helpers.ts";
import { startRedis, startStallingProxy } from "./_redis.ts";

Deno.test("Redis fences stay above every earlier fence after FLUSHALL and after a restart without persistence", async () => {
  let server = await startRedis();
  const port = server.port;
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const env = { LOKT_BACKEND: `redis://127.0.0.1:${port}`, LOKT_NAMESPACE: "fences" };
  const fences: number[] = [];
  const take = async (owner: string) => {
    const out = await lokt(["lock", "deploy", "--ttl", "1m", "--json"], { cwd: dir, owner, env });
    assertEquals(out.code, 0, out.stderr);
    fences.push(JSON.parse(out.stdout).lock.fence);
    assertEquals((await lokt(["unlock", "deploy"], { cwd: dir, owner, env })).code, 0);
  };
  try {
    await take("a");
    await take("b");
    const flushed = await new Deno.Command("redis-cli", { args: ["-p", String(port), "FLUSHALL"] })
      .output();
    assertEquals(flushed.code, 0);
    await take("c");
    await server.stop();
    server = await startRedis([], false, port);
    await take("d");
    await take("e");
    for (let i = 1; i < fences.length; i++) {
      assert(fences[i]! > fences[i - 1]!, `fences went backwards: ${fences.join(", ")}`);
    }
    assert(fences.every((f) => Number.isSafeInteger(f)), fences.join(", "));
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a guard cut off from Redis (a stalled connection) stops its command before its lease runs out, before anyone else can hold the lock", async () => {
  const server = await startRedis();
  const proxy = startStallingProxy(server.port);
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const log = `${dir}/a.log`;
  const env = (port: number) => ({
    LOKT_BACKEND: `redis://127.0.0.1:${port}`,
    LOKT_NAMESPACE: "stall",
  });
  const a = spawnLokt(
    [
      "guard",
      "x",
      "--ttl",
      "4s",
      "--grace",
      "1s",
      "--",
      "sh",
      "-c",
      `while true; do date +%s%N >> ${log}; sleep 0.05; done`,
    ],
    { cwd: dir, owner: "A", env: env(proxy.port) },
  );
  try {
    await waitFor(async () => {
      try {
        return (await Deno.readTextFile(log)).length > 0;
      } catch {
        return false;
      }
    }, "A's command to run");
    proxy.pause();
    const b = await lokt(["lock", "x", "--wait", "--timeout", "30s", "--json"], {
      cwd: dir,
      owner: "B",
      env: env(server.port),
    });
    const bGotAt = Date.now() * 1_000_000;
    assertEquals(b.code, 0, b.stderr);
    const lines = (await Deno.readTextFile(log)).trim().split("\n").map(Number);
    const lastA = lines.at(-1)!;
    // A's command wrote nothing after B held the lock (a 60 ms slack for B's own return).
    assert(lastA < bGotAt - 0, `A ran until ${lastA}, B held from ${bGotAt}`);
    const aOut = await a.output();
    const aErr = new TextDecoder().decode(aOut.stderr);
    assertMatch(aErr, /lost|lease/);
  } finally {
    proxy.stop();
    await reap(a).catch(() => {});
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
