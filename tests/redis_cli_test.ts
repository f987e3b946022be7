// The CLI on the Redis backend (docs/contract.md §17), against a real redis-server on a
// free loopback port: two clones on two "machines" share locks through the
// origin remote's namespace; refusals, waiting, guard's TTL, reservations,
// freezes, audit and doctor behave as on the file store; credentials never
// appear anywhere; an unreachable server is a bounded one-line exit 1.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { git, lineReader, lokt, reap, spawnLokt, tempDir, waitFor } from "./_helpers.ts";
import { freePort, startRedis, testCertificates } from "./_redis.ts";

/** A clone (its own directory and machine) of one repository, by its origin remote. */
async function clone(origin: string) {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await git(dir, "remote", "add", "origin", origin);
  return dir;
}

Deno.test("two clones on two machines share locks on one server; refusals, waiting, guard's TTL, reservations, freezes and audit work as on files", async () => {
  const server = await startRedis();
  const backend = `redis://127.0.0.1:${server.port}`;
  const a = await clone("git@github.com:acme/app.git");
  const b = await clone("https://github.com/acme/app");
  const on = (dir: string, owner: string, machine: string) => ({
    cwd: dir,
    owner,
    env: { LOKT_BACKEND: backend, LOKT_MACHINE_ID: machine },
  });
  const A = on(a, "agent-a", "machine-a");
  const B = on(b, "agent-b", "machine-b");
  try {
    const locked = await lokt(["lock", "build", "--ttl", "5m", "--json"], A);
    assertEquals(locked.code, 0, locked.stderr);
    const firstFence = JSON.parse(locked.stdout).lock.fence;
    const refused = await lokt(["lock", "build"], B);
    assertEquals(refused.code, 2);
    assertMatch(refused.stderr, /held by agent-a/);
    const status = JSON.parse((await lokt(["status", "--json"], B)).stdout);
    assertEquals(status.locks.map((l: { name: string; owner: string }) => [l.name, l.owner]), [[
      "build",
      "agent-a",
    ]]);
    assertMatch(
      status.store,
      new RegExp(`redis://127\\.0\\.0\\.1:${server.port}/0 namespace github\\.com/acme/app`),
    );
    // A remote holder is judged by its TTL, never by a pid on another machine.
    assertEquals(status.locks[0].liveness, "ttl-only");
    const waiter = spawnLokt(["lock", "build", "--wait", "--timeout", "30s", "--json"], B);
    try {
      await waitFor(
        async () =>
          JSON.parse((await lokt(["status", "--json"], A)).stdout).locks[0]?.waiters?.length === 1,
        "B to queue",
      );
      assertEquals((await lokt(["unlock", "build"], A)).code, 0);
      const got = await waiter.output();
      assertEquals(got.code, 0, new TextDecoder().decode(got.stderr));
      assertEquals(JSON.parse(new TextDecoder().decode(got.stdout)).lock.fence, firstFence + 1);
    } finally {
      await reap(waiter);
    }
    // guard on Redis always holds with a TTL (30 s without --ttl); --pid with --ttl 0 is refused.
    const guard = spawnLokt(["guard", "deploy", "--", "sh", "-c", "echo up; sleep 30"], A);
    try {
      assertEquals(await lineReader(guard.stdout).next(), "up");
      const held = JSON.parse((await lokt(["status", "deploy", "--json"], B)).stdout).locks[0];
      assertEquals([held.owner, held.ttl_ms], ["agent-a", 30_000]);
    } finally {
      await reap(guard, "SIGTERM");
    }
    const pid = await lokt(["lock", "db", "--pid", String(Deno.pid), "--ttl", "0"], A);
    assertEquals(pid.code, 64);
    assertMatch(pid.stderr, /not possible on Redis/);
    assertEquals((await lokt(["reserve", "src/auth", "--reason", "refactor"], A)).code, 0);
    const check = await lokt(["check", "src/auth/login.ts"], B);
    assertEquals(check.code, 2);
    assertMatch(check.stdout, /by agent-a — refactor/);
    assertEquals((await lokt(["freeze", "release", "--ttl", "1m"], B)).code, 0);
    assertEquals((await lokt(["lock", "release"], A)).code, 2);
    const audit = (await lokt(["audit", "--json", "--event", "acquire,deny,freeze,reserve"], A))
      .stdout
      .trim().split("\n").map((l) => JSON.parse(l));
    assertEquals(audit.map((e) => `${e.event} ${e.name} ${e.owner}`), [
      "acquire build agent-a",
      "deny build agent-b",
      "acquire build agent-b",
      "acquire deploy agent-a",
      "reserve src/auth agent-a",
      "freeze release agent-b",
    ]);
    // Another repository on the same server is another namespace.
    const other = await clone("git@github.com:acme/other.git");
    assertEquals((await lokt(["lock", "build"], on(other, "agent-c", "machine-c"))).code, 0);
    await Deno.remove(other, { recursive: true });
  } finally {
    await server.stop();
    await Deno.remove(a, { recursive: true });
    await Deno.remove(b, { recursive: true });
  }
});

Deno.test("a password in the URL works and appears nowhere: output, records, audit, whoami, doctor", async () => {
  const secret = "pw-4d9c1e-SECRET";
  const server = await startRedis(["--requirepass", secret]);
  const dir = await clone("git@example.com:t/secret.git");
  const env = { LOKT_BACKEND: `redis://:${secret}@127.0.0.1:${server.port}/3` };
  try {
    const outputs: string[] = [];
    for (
      const args of [
        ["lock", "x", "--json"],
        ["status", "--json"],
        ["why", "x", "--json"],
        ["whoami", "--json"],
        ["doctor", "--json"],
        ["audit", "--json"],
        ["unlock", "x"],
      ]
    ) {
      const out = await lokt(args, { cwd: dir, owner: "o", env });
      outputs.push(out.stdout, out.stderr);
    }
    assert(
      outputs.join("\n").includes(`redis://127.0.0.1:${server.port}/3`),
      "the server is named",
    );
    for (const text of outputs) assert(!text.includes(secret), text.slice(0, 300));
    // The password also comes from LOKT_REDIS_PASSWORD.
    const viaEnv = await lokt(["lock", "y"], {
      cwd: dir,
      owner: "o",
      env: { LOKT_BACKEND: `redis://127.0.0.1:${server.port}/3`, LOKT_REDIS_PASSWORD: secret },
    });
    assertEquals(viaEnv.code, 0, viaEnv.stderr);
    const wrong = await lokt(["lock", "z"], {
      cwd: dir,
      owner: "o",
      env: { LOKT_BACKEND: `redis://:nope-${secret}x@127.0.0.1:${server.port}` },
    });
    assertEquals(wrong.code, 1);
    assert(!wrong.stderr.includes(secret), wrong.stderr);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unreachable server is exit 1 within the connect timeout, one line naming host and port; doctor FAILs on eviction", async () => {
  const dir = await clone("git@example.com:t/down.git");
  const port = freePort();
  try {
    const out = await lokt(["lock", "x"], {
      cwd: dir,
      owner: "o",
      env: { LOKT_BACKEND: `redis://127.0.0.1:${port}` },
    });
    assertEquals(out.code, 1);
    assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
    assertMatch(out.stderr, new RegExp(`cannot reach Redis at 127\\.0\\.0\\.1:${port}`));
    const server = await startRedis(["--maxmemory-policy", "allkeys-lru"]);
    try {
      const doctor = JSON.parse(
        (await lokt(["doctor", "--json"], {
          cwd: dir,
          owner: "o",
          env: { LOKT_BACKEND: `redis://127.0.0.1:${server.port}` },
        })).stdout,
      );
      const byId = Object.fromEntries(
        doctor.checks.map((c: { id: string; status: string }) => [c.id, c.status]),
      );
      assertEquals([byId.redis, byId["redis-eviction"], byId["redis-persistence"]], [
        "OK",
        "FAIL",
        "WARN",
      ]);
    } finally {
      await server.stop();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the library on Redis: acquire, release, and the program ends by itself (idle connections hold nothing)", async () => {
  const server = await startRedis();
  const dir = await clone("git@example.com:t/lib.git");
  const script = `${dir}/use.ts`;
  await Deno.writeTextFile(
    script,
    `import { acquire, status } from ${JSON.stringify(new URL("../mod.ts", import.meta.url).href)};
const lock = await acquire("lib-x", { owner: "lib", ttl: "1m" });
console.log(lock.fence, (await status()).locks.length);
await lock.release();
`,
  );
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", script],
      cwd: dir,
      env: { LOKT_BACKEND: `redis://127.0.0.1:${server.port}` },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(30_000),
    }).output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
    assertMatch(new TextDecoder().decode(out.stdout).trim(), /^[1-9]\d* 1$/);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("rediss:// with LOKT_REDIS_CA: the CLI works over TLS; without the CA the server is not trusted, named by host and port", async () => {
  const certs = await testCertificates();
  const server = await startRedis([
    "--tls-cert-file",
    `${certs}/server.crt`,
    "--tls-key-file",
    `${certs}/server.key`,
    "--tls-ca-cert-file",
    `${certs}/ca.crt`,
    "--tls-auth-clients",
    "no",
  ], true);
  const dir = await clone("git@example.com:t/tls.git");
  const backend = `rediss://127.0.0.1:${server.port}`;
  try {
    const ok = await lokt(["lock", "x", "--json"], {
      cwd: dir,
      owner: "o",
      env: { LOKT_BACKEND: backend, LOKT_REDIS_CA: `${certs}/ca.crt` },
    });
    assertEquals(ok.code, 0, ok.stderr);
    const status = JSON.parse(
      (await lokt(["status", "--json"], {
        cwd: dir,
        owner: "o",
        env: { LOKT_BACKEND: backend, LOKT_REDIS_CA: `${certs}/ca.crt` },
      })).stdout,
    );
    assertMatch(status.store, /^rediss:\/\/127\.0\.0\.1:/);
    const untrusted = await lokt(["lock", "y"], {
      cwd: dir,
      owner: "o",
      env: { LOKT_BACKEND: backend },
    });
    assertEquals(untrusted.code, 1);
    assertMatch(untrusted.stderr, new RegExp(`Redis at 127\\.0\\.0\\.1:${server.port}`));
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(certs, { recursive: true });
  }
});

Deno.test("a guard on Redis that cannot renew before expiry treats the lock as lost and stops its command", async () => {
  const server = await startRedis();
  const dir = await clone("git@example.com:t/lost.git");
  const guard = spawnLokt([
    "guard",
    "job",
    "--ttl",
    "2s",
    "--grace",
    "1s",
    "--",
    "sh",
    "-c",
    "echo up; sleep 60",
  ], {
    cwd: dir,
    owner: "o",
    env: { LOKT_BACKEND: `redis://127.0.0.1:${server.port}` },
  });
  try {
    assertEquals(await lineReader(guard.stdout).next(), "up");
    await server.stop();
    const status = await guard.status;
    assert(status.code !== 0, `exit ${status.code}`);
    const stderr = new TextDecoder().decode(
      await new Response(guard.stderr).arrayBuffer(),
    );
    assertMatch(stderr, /lock "job" is given up: it could not be renewed before it expires/);
  } finally {
    await reap(guard);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("audit --follow on Redis prints what other machines do as it happens; expiry is judged by the server's clock", async () => {
  const server = await startRedis();
  const dir = await clone("git@example.com:t/follow.git");
  const env = { LOKT_BACKEND: `redis://127.0.0.1:${server.port}` };
  const follower = spawnLokt(["audit", "--follow", "--json"], { cwd: dir, owner: "watcher", env });
  try {
    const lines = lineReader(follower.stdout);
    // Lock until the follower (which may still be starting) has seen one acquisition.
    let seen = false;
    const first = (async () => {
      const line = await lines.next();
      seen = true;
      return JSON.parse(line ?? "null");
    })();
    for (let n = 0; !seen && n < 100; n++) {
      await lokt(["lock", `job-${n}`], {
        cwd: dir,
        owner: "elsewhere",
        env: { ...env, LOKT_MACHINE_ID: "m2" },
      });
      await new Promise((r) => setTimeout(r, 200));
    }
    const event = await first;
    assertEquals([event.event, event.owner], ["acquire", "elsewhere"]);
  } finally {
    await reap(follower, "SIGTERM");
  }
  // The context's clock is the server's: the offset is measured at connect.
  const { RedisStore } = await import("../lib/store/redis/redis_store.ts");
  const store = new RedisStore({ host: "127.0.0.1", port: server.port, tls: false }, {
    namespace: "x",
  });
  await store.list("lock");
  assert(Math.abs(store.clockOffsetMs) < 5_000, String(store.clockOffsetMs));
  store.close();
  await server.stop();
  await Deno.remove(dir, { recursive: true });
});
