/**
 * A private redis-server for tests: on a free loopback port, never a fixed
 * one, bound to 127.0.0.1 only, without persistence; stopped by the test.
 *
 * @module
 */

/** A running test server. */
export interface TestRedis {
  /** Its port on 127.0.0.1. */
  port: number;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/**
 * Starts redis-server (installed by .ci/run when missing) and waits until it answers.
 *
 * @param extra More server arguments, e.g. `["--requirepass", "s3cret"]`.
 * @returns The server.
 */
export async function startRedis(extra: string[] = []): Promise<TestRedis> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = freePort();
    const dir = await Deno.makeTempDir({ prefix: "lokt-redis-" });
    const child = new Deno.Command("redis-server", {
      args: [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
        "--daemonize",
        "no",
        ...extra,
      ],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const stop = async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      await child.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    };
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      try {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port });
        conn.close();
        return { port, stop };
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    await stop();
  }
  throw new Error("redis-server did not start");
}
