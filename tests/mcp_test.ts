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
