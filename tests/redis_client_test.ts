// lokt's own Redis client (docs/contract.md §17) against a real redis-server: commands,
// pipelines, error replies, EVALSHA with the NOSCRIPT fallback, AUTH without
// ever showing the password, bounded connect and command timeouts, pub/sub,
// and replies split across reads.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { RedisClient, RedisReplyError, Script } from "../lib/store/redis/redis_client.ts";
import { freePort, startRedis } from "./_redis.ts";

const target = (port: number, more: Record<string, unknown> = {}) => ({
  host: "127.0.0.1",
  port,
  tls: false,
  ...more,
});

Deno.test("commands, pipelines, nil and arrays, error replies as values, large values split across reads", async () => {
  const server = await startRedis();
  const client = await RedisClient.connect(target(server.port));
  try {
    assertEquals(await client.command("PING"), "PONG");
    assertEquals(await client.command("SET", "k", "v"), "OK");
    assertEquals(await client.command("GET", "missing"), null);
    const replies = await client.pipeline([["INCR", "n"], ["INCR", "n"], ["RPUSH", "l", "a", "b"], [
      "LRANGE",
      "l",
      0,
      -1,
    ], ["INCR", "l"]]);
    assertEquals(replies.slice(0, 4), [1, 2, 2, ["a", "b"]]);
    assert(replies[4] instanceof RedisReplyError);
    let thrown: unknown = null;
    try {
      await client.command("INCR", "l");
    } catch (err) {
      thrown = err;
    }
    assert(thrown instanceof RedisReplyError && /WRONGTYPE/.test(thrown.message));
    const big = "x".repeat(3 * 1024 * 1024) + "é";
    await client.command("SET", "big", big);
    assertEquals(await client.command("GET", "big"), big);
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("scripts run by SHA1, loaded on NOSCRIPT", async () => {
  const server = await startRedis();
  const client = await RedisClient.connect(target(server.port));
  try {
    const script = new Script("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    assertEquals(await client.evalScript(script, ["c"], [5]), 5);
    assertEquals(await client.command("SCRIPT", "EXISTS", await script.sha()), [1]);
    await client.command("SCRIPT", "FLUSH");
    assertEquals(await client.evalScript(script, ["c"], [2]), 7);
  } finally {
    client.close();
    await server.stop();
  }
});

Deno.test("AUTH: a password is used and never shown; a wrong one is refused naming host and port only", async () => {
  const server = await startRedis(["--requirepass", "s3cret-pw"]);
  try {
    const ok = await RedisClient.connect(target(server.port, { password: "s3cret-pw" }));
    assertEquals(await ok.command("PING"), "PONG");
    ok.close();
    let error: unknown = null;
    try {
      await RedisClient.connect(target(server.port, { password: "wrong-pw-value" }));
    } catch (err) {
      error = err;
    }
    assert(error instanceof Error);
    assertMatch(error.message, new RegExp(`Redis at 127\\.0\\.0\\.1:${server.port} refused`));
    assert(
      !error.message.includes("wrong-pw-value") && !error.message.includes("s3cret"),
      error.message,
    );
  } finally {
    await server.stop();
  }
});

Deno.test("an unreachable server and a silent one fail within their timeouts, naming host and port", async () => {
  // A free port may be taken by another test's server between finding it and
  // connecting (tests run in parallel): then try another.
  let closed = 0;
  let refused: unknown = null;
  for (let attempt = 0; attempt < 5 && refused === null; attempt++) {
    closed = freePort();
    try {
      (await RedisClient.connect(target(closed, { connectTimeoutMs: 500 }))).close();
    } catch (err) {
      refused = err;
    }
  }
  assert(refused instanceof Error);
  assertMatch(refused.message, new RegExp(`cannot reach Redis at 127\\.0\\.0\\.1:${closed}`));
  // A listener that never answers: the connection's first exchange (it reads
  // the server's clock) times out, naming host and port.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (silent.addr as Deno.NetAddr).port;
  let timedOut: unknown = null;
  try {
    await RedisClient.connect(target(port, { commandTimeoutMs: 300 }));
  } catch (err) {
    timedOut = err;
  }
  assert(timedOut instanceof Error);
  assertMatch(
    timedOut.message,
    new RegExp(`Redis at 127\\.0\\.0\\.1:${port} did not answer within 300 ms`),
  );
  silent.close();
});

Deno.test("a subscriber connection receives what is published", async () => {
  const server = await startRedis();
  const sub = await RedisClient.connect(target(server.port));
  const pub = await RedisClient.connect(target(server.port));
  try {
    const got: string[] = [];
    await sub.subscribe(["lokt:test"], (channel, message) => got.push(`${channel} ${message}`));
    // Publish until the subscription is in place (SUBSCRIBE is asynchronous).
    for (let i = 0; got.length === 0 && i < 200; i++) {
      await pub.command("PUBLISH", "lokt:test", "wake");
      await new Promise((r) => setTimeout(r, 10));
    }
    assertEquals(got[0], "lokt:test wake");
  } finally {
    sub.close();
    pub.close();
    await server.stop();
  }
});

Deno.test("concurrent callers on one connection: pipelines larger than a socket buffer never interleave", async () => {
  const server = await startRedis();
  const client = await RedisClient.connect(target(server.port));
  try {
    // Each SET is bigger than a socket's send buffer: a short write must not
    // let another caller's bytes in between (the client queues its writes;
    // Deno 2.9 happened to write each whole even before that queue).
    const values = Array.from(
      { length: 8 },
      (_, i) => String.fromCharCode(97 + i).repeat(2_000_000),
    );
    await Promise.all(values.map((v, i) => client.command("SET", `k${i}`, v)));
    const read = await Promise.all(values.map((_, i) => client.command("GET", `k${i}`)));
    assertEquals(read.map((v) => (v as string).length), values.map((v) => v.length));
    assert(read.every((v, i) => v === values[i]), "a value came back mixed with another");
  } finally {
    client.close();
    await server.stop();
  }
});
