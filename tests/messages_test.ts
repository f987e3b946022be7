// Messages a new user met that misled (docs/contract.md §19 and the README): each one's
// new text, through the real CLI.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { freshRoot, git, lokt, tempDir } from "./_helpers.ts";
import { startRedis } from "./_redis.ts";

Deno.test("a TTL without a unit suggests TTLs that are accepted (not 500ms); a bad --timeout still may", async () => {
  const { root } = await freshRoot();
  const ttl = await lokt(["lock", "x", "--ttl", "5"], { root, owner: "a" });
  assertEquals(ttl.code, 64);
  assertMatch(ttl.stderr, /Invalid --ttl "5": use a number with a unit, e\.g\. 90s, 5m, 1h30m, 2d/);
  assert(!ttl.stderr.includes("500ms"), ttl.stderr);
  const timeout = await lokt(["lock", "x", "--timeout", "5"], { root, owner: "a" });
  assertMatch(timeout.stderr, /e\.g\. 500ms, 90s/);
});

Deno.test("audit: an unknown event is a lower-case error like every other; the text table names each event's host", async () => {
  const { root } = await freshRoot();
  const bad = await lokt(["audit", "--event", "nope"], { root, owner: "a" });
  assertEquals(bad.code, 64);
  assertMatch(bad.stderr, /^error: unknown event "nope": one of /);
  await lokt(["lock", "x"], { root, owner: "a", env: { LOKT_HOST: "box-7" } });
  const table = (await lokt(["audit"], { root, owner: "a" })).stdout.split("\n");
  assertMatch(table[0] ?? "", /^TIME\s+EVENT\s+NAME\s+OWNER\s+HOST\s+DETAIL$/);
  assertMatch(table[1] ?? "", /\sacquire\s+x\s+a\s+box-7\s+fence=1/);
});

Deno.test("prime marks your own lock (you), as it does your reservations", async () => {
  const { root } = await freshRoot();
  await lokt(["lock", "mine", "--ttl", "5m"], { root, owner: "agent-1" });
  await lokt(["lock", "theirs", "--ttl", "5m"], { root, owner: "agent-2" });
  const text = (await lokt(["prime"], { root, owner: "agent-1" })).stdout;
  assertMatch(text, /mine by agent-1 \(you\) \(/);
  assertMatch(text, /theirs by agent-2 \(/);
  assert(!text.includes("agent-2 (you)"), text);
});

Deno.test("guard's usage line names every flag it takes (--exclusive, --grace)", async () => {
  const help = (await lokt(["guard", "--help"], { owner: "a" })).stdout;
  const usage = help.split("\n").find((l) => l.includes("guard <name>")) ?? "";
  for (const flag of ["--exclusive", "--grace D", "--on-lost", "--conflict-exit"]) {
    assert(usage.includes(flag), `${flag} in ${usage}`);
  }
});

Deno.test("doctor's text columns stay in line whatever the longest check id (redis-persistence)", async () => {
  const server = await startRedis();
  try {
    const { root } = await freshRoot();
    const env = { LOKT_BACKEND: `redis://127.0.0.1:${server.port}` };
    await lokt(["lock", "x"], { root, owner: "a", env });
    const lines = (await lokt(["doctor"], { root, owner: "a", env })).stdout.split("\n")
      .filter((l) => /^(OK|WARN|FAIL) /.test(l));
    assert(lines.some((l) => l.includes("redis-persistence")), lines.join("\n"));
    // The message column starts at one offset on every line: after the widest id and a space.
    const starts = new Set(lines.map((l) => l.match(/^\S+\s+\S+\s+/)?.[0].length));
    assertEquals(starts.size, 1, lines.join("\n"));
  } finally {
    await server.stop();
  }
});

Deno.test("whoami names where the state lives: the root on files; on Redis the server and namespace too", async () => {
  const { root } = await freshRoot();
  const onFiles = JSON.parse((await lokt(["whoami", "--json"], { root, owner: "a" })).stdout);
  assertEquals([onFiles.backend, onFiles.store], ["files", root]);
  const server = await startRedis();
  try {
    const env = { LOKT_BACKEND: `redis://127.0.0.1:${server.port}`, LOKT_NAMESPACE: "team-app" };
    const text = (await lokt(["whoami"], { root, owner: "a", env })).stdout;
    assertMatch(
      text,
      new RegExp(
        `^state +redis://127\\.0\\.0\\.1:${server.port}/0 namespace team-app  \\(Redis\\)$`,
        "m",
      ),
    );
    const doc = JSON.parse((await lokt(["whoami", "--json"], { root, owner: "a", env })).stdout);
    assertEquals(doc.backend, "Redis");
    assertMatch(doc.store, /namespace team-app$/);
  } finally {
    await server.stop();
  }
});

Deno.test("Redis: rediss:// to a plain server says it does not speak TLS; a missing password says how to give one", async () => {
  const { root } = await freshRoot();
  const plain = await startRedis();
  const locked = await startRedis(["--requirepass", "s3cret-pass"]);
  try {
    const tls = await lokt(["lock", "x"], {
      root,
      owner: "a",
      env: { LOKT_BACKEND: `rediss://127.0.0.1:${plain.port}` },
    });
    assertEquals(tls.code, 1);
    assertMatch(tls.stderr, /over TLS: .*a plain Redis does not speak TLS: use redis:\/\//);
    const noauth = await lokt(["lock", "x"], {
      root,
      owner: "a",
      env: { LOKT_BACKEND: `redis://127.0.0.1:${locked.port}` },
    });
    assertEquals(noauth.code, 1);
    assertMatch(
      noauth.stderr,
      /NOAUTH.* it needs a password: set LOKT_REDIS_PASSWORD, or give it in the URL/,
    );
    const given = await lokt(["lock", "x"], {
      root,
      owner: "a",
      env: { LOKT_BACKEND: `redis://127.0.0.1:${locked.port}`, LOKT_REDIS_PASSWORD: "s3cret-pass" },
    });
    assertEquals(given.code, 0, given.stderr);
    assert(!noauth.stderr.includes("s3cret"), noauth.stderr);
  } finally {
    await plain.stop();
    await locked.stop();
  }
});

Deno.test("a bad LOKT_BACKEND says what a backend may be, not to read `status --help`", async () => {
  const { root } = await freshRoot();
  const out = await lokt(["status"], { root, owner: "a", env: { LOKT_BACKEND: "foo" } });
  assertEquals(out.code, 64);
  assertMatch(
    out.stderr,
    /LOKT_BACKEND \(or "backend" in lokt\.jsonc\) is file, redis:\/\/\[user:password@\]host:port\[\/db\] or rediss:\/\//,
  );
  assert(!out.stderr.includes("--help"), out.stderr);
});

Deno.test("Redis: clones whose origin spells GitHub's owner and name in another case share one namespace, shown by whoami and doctor", async () => {
  const server = await startRedis();
  try {
    const env = { LOKT_BACKEND: `redis://127.0.0.1:${server.port}` };
    const stores: string[] = [];
    for (const origin of ["https://github.com/Acme/App.git", "git@github.com:acme/app"]) {
      const dir = await tempDir();
      await git(dir, "init", "-q");
      await git(dir, "remote", "add", "origin", origin);
      stores.push(
        JSON.parse((await lokt(["whoami", "--json"], { cwd: dir, owner: "a", env })).stdout).store,
      );
      const doctor = (await lokt(["doctor"], { cwd: dir, owner: "a", env })).stdout;
      assertMatch(doctor, /namespace github\.com\/acme\/app/);
      await Deno.remove(dir, { recursive: true });
    }
    assertEquals(stores[0], stores[1]);
    assertMatch(stores[0] ?? "", /namespace github\.com\/acme\/app$/);
  } finally {
    await server.stop();
  }
});
