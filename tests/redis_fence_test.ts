// Fences on Redis never go backwards, whatever the server loses (docs/contract.md
// §17): after FLUSHALL, and after a restart without persistence, the next
// fence is above every fence handed out before.
import { assert, assertEquals } from "./_assert.ts";
import { git, lokt, tempDir } from "./_helpers.ts";
import { startRedis } from "./_redis.ts";

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
