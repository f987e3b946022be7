// lokt mcp (docs/contract.md §16) through the official SDK's own client over a real stdio
// subprocess: every tool listed with its schema and called, each returning the
// same document as the CLI's --json (a refusal as isError with the error
// document), and a closed stdin releasing what the server held.
import { Client } from "npm:@modelcontextprotocol/sdk@1.32.2/client/index.js";
import { StdioClientTransport } from "npm:@modelcontextprotocol/sdk@1.32.2/client/stdio.js";
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import {
  auditEvents,
  baseEnv,
  CLI,
  git,
  lokt,
  ownerlessEnv,
  tempDir,
  waitFor,
} from "./_helpers.ts";

interface ToolResult {
  isError?: boolean;
  content: { type: string; text: string }[];
}

/** Starts `lokt mcp` as `owner`, or with no owner setting in its own Unix session (`null`). */
async function connect(cwd: string, owner: string | null) {
  const args = ["run", "-A", "--quiet", CLI, "mcp"];
  const transport = new StdioClientTransport({
    command: owner === null ? "setsid" : Deno.execPath(),
    args: owner === null ? [Deno.execPath(), ...args] : args,
    cwd,
    env: owner === null ? ownerlessEnv() : baseEnv({ owner }),
    stderr: "inherit",
  });
  const client = new Client({ name: "lokt-test", version: "1.0.0" });
  await client.connect(transport);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const result = await client.callTool({ name, arguments: args }) as ToolResult;
    return { isError: result.isError === true, document: JSON.parse(result.content[0]!.text) };
  };
  return { client, call };
}

Deno.test("lokt mcp: every tool listed with a JSON schema and called, with the CLI's documents; refusals are isError with the error document", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const { client, call } = await connect(dir, "mcp-agent");
  try {
    const { tools } = await client.listTools() as {
      tools: { name: string; inputSchema: { type: string } }[];
    };
    assertEquals(tools.map((t) => t.name).sort(), [
      "lokt_audit",
      "lokt_check",
      "lokt_lock",
      "lokt_release",
      "lokt_reserve",
      "lokt_status",
      "lokt_unlock",
      "lokt_why",
    ]);
    for (const t of tools) assertEquals(t.inputSchema.type, "object", t.name);
    const locked = await call("lokt_lock", { name: "build", reason: "compiling" });
    assertEquals([locked.isError, locked.document.command, locked.document.outcome], [
      false,
      "lock",
      "acquired",
    ]);
    // Tied to the server process.
    assertEquals(locked.document.lock.liveness, "process");
    assertEquals(locked.document.lock.owner, "mcp-agent");
    const status = await call("lokt_status");
    const cli = JSON.parse(
      (await lokt(["status", "--json"], { cwd: dir, owner: "mcp-agent" })).stdout,
    );
    assertEquals(Object.keys(status.document), Object.keys(cli));
    assertEquals(status.document.locks[0].name, "build");
    assertEquals((await call("lokt_why", { name: "build" })).document.reasons[0].code, "mine");
    const reserved = await call("lokt_reserve", { patterns: ["src/**"], reason: "refactor" });
    assertEquals(reserved.document.reservations[0].liveness, "process");
    assertEquals((await call("lokt_check", { paths: ["src/a.ts"] })).document.allowed, true);
    assertEquals(
      (await call("lokt_release", { patterns: ["src/**"] })).document.released.length,
      1,
    );
    assertEquals((await call("lokt_unlock", { name: "build" })).document.command, "unlock");
    const audit = await call("lokt_audit", { limit: 10 });
    assert(
      Array.isArray(audit.document) &&
        audit.document.some((e: { event: string }) => e.event === "reserve"),
    );
    // Another agent's lock: a refusal, as isError with the error document.
    assertEquals((await lokt(["lock", "deploy"], { cwd: dir, owner: "someone-else" })).code, 0);
    const refused = await call("lokt_lock", { name: "deploy", wait_seconds: 0.3 });
    assertEquals(refused.isError, true);
    assertEquals([refused.document.ok, refused.document.exit_code], [false, 2]);
    assertMatch(refused.document.error.message, /deploy/);
    const bad = await call("lokt_lock", { name: "build", wait_seconds: 90 });
    assertEquals([bad.isError, bad.document.exit_code], [true, 64]);
  } finally {
    await client.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lokt mcp started in its own Unix session with no owner setting and no harness acts as mcp-<random>, not as that session", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const { client, call } = await connect(dir, null);
  try {
    const locked = await call("lokt_lock", { name: "m" });
    assertEquals(locked.isError, false, JSON.stringify(locked.document));
    assertMatch(locked.document.lock.owner, /^mcp-[0-9a-f]{12}$/);
    const status = JSON.parse((await lokt(["status", "--json"], { cwd: dir, owner: "x" })).stdout);
    assertEquals(status.locks.map((l: { owner: string }) => l.owner), [locked.document.lock.owner]);
    // The same server keeps its one owner: its own lock is renewed, not refused.
    assertEquals((await call("lokt_lock", { name: "m" })).document.outcome, "renewed");
  } finally {
    await client.close();
  }
});

Deno.test("lokt mcp: holds and reservations taken through the server are released when its stdin closes", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const root = `${dir}/.git/lokt`;
  const { client, call } = await connect(dir, "mcp-closing");
  assertEquals((await call("lokt_lock", { name: "db" })).isError, false);
  assertEquals((await call("lokt_reserve", { patterns: ["docs"] })).isError, false);
  await client.close();
  await waitFor(async () => {
    const events = (await auditEvents(root)).map((e) => e.event);
    return events.includes("release") && events.includes("unreserve");
  }, "the server to release what it held");
  const status = JSON.parse(
    (await lokt(["status", "--json"], { cwd: dir, owner: "viewer" })).stdout,
  );
  assertEquals([status.locks, status.reservations], [[], []]);
  await Deno.remove(dir, { recursive: true });
});

/** A tool call that must answer within a bound (a `--watch` read as a flag would never answer). */
async function bounded<T>(what: string, call: Promise<T>, ms = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([call, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("lokt mcp: a flag-shaped value in every string argument of every tool is data, never a flag; nothing of another owner changes; refusals are isError", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const root = `${dir}/.git/lokt`;
  // Another agent's lock, reservation and freeze.
  assertEquals((await lokt(["lock", "theirs", "--ttl", "10m"], { cwd: dir, owner: "A" })).code, 0);
  assertEquals(
    (await lokt(["reserve", "src/auth", "--ttl", "10m"], { cwd: dir, owner: "A" })).code,
    0,
  );
  assertEquals(
    (await lokt(["freeze", "deploy", "--ttl", "10m"], { cwd: dir, owner: "A" })).code,
    0,
  );
  const before = JSON.parse((await lokt(["status", "--json"], { cwd: dir, owner: "x" })).stdout);
  const { client, call } = await connect(dir, "B");
  const flags = [
    "--force",
    "--owner",
    "A",
    "--owner=A",
    "--all",
    "--watch",
    "-h",
    "--help",
    "--",
    "--pid=1",
    "--json",
    "--break-stale",
    "--mine",
  ];
  const lists = [["--owner", "A", "--force"], ["docs/x", "--"], ["--all"], ["--mine", "--force"], [
    "--",
    "--owner=A",
    "--force",
  ]];
  const benign: Record<string, Record<string, unknown>> = {
    lokt_status: {},
    lokt_why: { name: "theirs" },
    lokt_lock: { name: "mine" },
    lokt_unlock: { name: "theirs" },
    lokt_reserve: { patterns: ["docs/y"] },
    lokt_release: { patterns: ["docs/y"] },
    lokt_check: { paths: ["src/auth/a.ts"] },
    lokt_audit: {},
  };
  const stringArgs: Record<string, string[]> = {
    lokt_status: ["name"],
    lokt_why: ["name"],
    lokt_lock: ["name", "reason", "ttl"],
    lokt_unlock: ["name"],
    lokt_reserve: ["reason", "ttl"],
    lokt_release: [],
    lokt_check: [],
    lokt_audit: ["since", "name", "event"],
  };
  const listArgs: Record<string, string[]> = {
    lokt_reserve: ["patterns"],
    lokt_release: ["patterns"],
    lokt_check: ["paths"],
  };
  let calls = 0;
  try {
    const attempt = async (tool: string, args: Record<string, unknown>) => {
      const result = await bounded(`${tool} ${JSON.stringify(args)}`, call(tool, args));
      calls++;
      const doc = result.document as { ok?: boolean } | null;
      // A refusal is always an error result; a success never says it failed.
      if (!result.isError) {
        assert(
          doc === null || Array.isArray(doc) || doc.ok !== false,
          `${tool} ${JSON.stringify(args)}`,
        );
      } else assertEquals(Array.isArray(doc), false, `${tool} ${JSON.stringify(args)}`);
    };
    for (const [tool, keys] of Object.entries(stringArgs)) {
      for (const key of keys) {
        for (const value of flags) await attempt(tool, { ...benign[tool], [key]: value });
      }
    }
    for (const [tool, keys] of Object.entries(listArgs)) {
      for (const key of keys) {
        for (const value of lists) await attempt(tool, { ...benign[tool], [key]: value });
      }
    }
    // Arguments the schema does not know, or of the wrong type, are refused.
    for (const [tool, args] of Object.entries(benign)) {
      const extra = await call(tool, { ...args, force: true, owner: "A" });
      assertEquals(extra.isError, true, tool);
    }
    for (
      const args of [{ event: "nope" }, { limit: -1 }, { limit: 1.5 }, { since: "abc" }, {
        limit: "5",
      }]
    ) {
      assertEquals((await call("lokt_audit", args)).isError, true, JSON.stringify(args));
    }
    assertEquals((await call("lokt_lock", { name: "mine2", wait_seconds: 31 })).isError, true);
  } finally {
    await client.close();
  }
  assert(calls > 100, `only ${calls} calls`);
  // Nothing of A's changed: the lock, the reservation and the freeze are as they were.
  const after = JSON.parse((await lokt(["status", "--json"], { cwd: dir, owner: "x" })).stdout);
  const ofA = (doc: typeof before) => ({
    locks: doc.locks.filter((l: { owner: string }) => l.owner === "A").map((
      l: { name: string; lock_id: string; fence: number; expires_at: string },
    ) => [l.name, l.lock_id, l.fence, l.expires_at]),
    reservations: doc.reservations.filter((r: { owner: string }) => r.owner === "A").map((
      r: { id: string; patterns: string[]; expires_at: string },
    ) => [r.id, r.patterns, r.expires_at]),
    freezes: doc.freezes.filter((f: { owner: string }) => f.owner === "A").map((
      f: { name: string; record: { expires_at: string } },
    ) => [f.name, f.record.expires_at]),
  });
  assertEquals(ofA(after), ofA(before));
  assertEquals(
    ofA(before).locks.length + ofA(before).reservations.length + ofA(before).freezes.length,
    3,
  );
  const events = (await auditEvents(root)).map((e) => e.event);
  for (
    const broken of ["force-break", "reserve-break", "force-unfreeze", "expire-break", "dead-break"]
  ) {
    assertEquals(events.includes(broken), false, broken);
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lokt mcp is one process, started without fetching anything (no network, empty DENO_DIR); SIGKILLed, what it took is free at once", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const transport = new StdioClientTransport({
    command: Deno.execPath(),
    args: ["run", "-A", "--quiet", CLI, "mcp"],
    cwd: dir,
    // A harness's filtered environment (no DENO_DIR: an empty cache) on a machine
    // without network (a registry that refuses): any fetch would kill the server.
    env: {
      ...baseEnv({ owner: "mcp-killed" }),
      DENO_DIR: await tempDir("lokt-empty-deno-dir-"),
      NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/",
    },
    stderr: "inherit",
  });
  const client = new Client({ name: "lokt-test", version: "1.0.0" });
  await client.connect(transport);
  try {
    const locked = await client.callTool({ name: "lokt_lock", arguments: { name: "m" } }) as {
      isError?: boolean;
    };
    assertEquals(locked.isError ?? false, false);
    const parent = transport.pid as number;
    const status = JSON.parse((await lokt(["status", "--json"], { cwd: dir, owner: "x" })).stdout);
    assertEquals(status.locks[0].pid, parent);
    // One process: the server is the process the harness started, with no child.
    const children = [...Deno.readDirSync(`/proc/${parent}/task`)].flatMap((t) =>
      Deno.readTextFileSync(`/proc/${parent}/task/${t.name}/children`).trim().split(/\s+/)
    ).filter((c) => c !== "");
    assertEquals(children, []);
    Deno.kill(parent, "SIGKILL");
    const next = await lokt(["lock", "m", "--json"], { cwd: dir, owner: "next" });
    assertEquals(next.code, 0, next.stderr);
    assertEquals(JSON.parse(next.stdout).broke.event, "dead-break");
  } finally {
    await client.close().catch(() => {});
  }
  await Deno.remove(dir, { recursive: true });
});
