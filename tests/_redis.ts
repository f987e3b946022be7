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
 * @param tls Serve TLS only, on the port returned (give the certificate arguments in `extra`).
 * @param onPort Listen on this port (a restart) instead of a free one.
 * @returns The server.
 */
export async function startRedis(
  extra: string[] = [],
  tls = false,
  onPort: number | null = null,
): Promise<TestRedis> {
  for (let attempt = 0; attempt < 5; attempt++) {
    // A given port: a server restarted where clients know it.
    const port = onPort ?? freePort();
    const dir = await Deno.makeTempDir({ prefix: "lokt-redis-" });
    // With TLS, the port given is the TLS port and plain TCP is off.
    const ports = tls ? ["--port", "0", "--tls-port", String(port)] : ["--port", String(port)];
    const child = new Deno.Command("redis-server", {
      args: [
        ...ports,
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

/**
 * A test CA and a server certificate for 127.0.0.1, made with openssl.
 *
 * @returns The directory holding `ca.crt`, `server.crt`, `server.key`.
 */
export async function testCertificates(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "lokt-tls-" });
  const run = async (args: string[]) => {
    const out = await new Deno.Command("openssl", {
      args,
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    })
      .output();
    if (!out.success) {
      throw new Error(`openssl ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
    }
  };
  await run([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.crt",
    "-days",
    "1",
    "-subj",
    "/CN=lokt-test-ca",
  ]);
  await run([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=127.0.0.1",
  ]);
  await Deno.writeTextFile(`${dir}/ext.cnf`, "subjectAltName=IP:127.0.0.1\n");
  await run([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.crt",
    "-days",
    "1",
    "-extfile",
    "ext.cnf",
  ]);
  return dir;
}

/** A TCP proxy in front of a server that can stall: it stops passing bytes while paused. */
export interface StallingProxy {
  /** Its port on 127.0.0.1. */
  port: number;
  /** Stops passing bytes (connections stay open, as behind a stalled network). */
  pause(): void;
  /** Passes bytes again. */
  resume(): void;
  /** Closes it and every connection. */
  stop(): void;
}

/**
 * Starts a proxy to `127.0.0.1:target` on a free loopback port.
 *
 * @param target The server's port.
 * @returns The proxy.
 */
export function startStallingProxy(target: number): StallingProxy {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  let paused = false;
  let wake: (() => void) | null = null;
  let resumed = Promise.resolve();
  const pipe = async (from: Deno.Conn, to: Deno.Conn) => {
    const buf = new Uint8Array(16_384);
    try {
      for (;;) {
        const n = await from.read(buf);
        if (n === null) break;
        while (paused) await resumed;
        let written = 0;
        while (written < n) written += await to.write(buf.subarray(written, n));
      }
    } catch {
      // Closed.
    }
    try {
      to.close();
    } catch {
      // Already closed.
    }
  };
  (async () => {
    try {
      for await (const client of listener) {
        const upstream = await Deno.connect({ hostname: "127.0.0.1", port: target });
        conns.push(client, upstream);
        void pipe(client, upstream);
        void pipe(upstream, client);
      }
    } catch {
      // Stopped.
    }
  })();
  return {
    port: (listener.addr as Deno.NetAddr).port,
    pause() {
      if (paused) return;
      paused = true;
      resumed = new Promise((done) => (wake = done));
    },
    resume() {
      paused = false;
      wake?.();
    },
    stop() {
      this.resume();
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch {
          // Already closed.
        }
      }
    },
  };
}
