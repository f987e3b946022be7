// Malformed invocations: right exit code, one-line error, no stack trace, nothing written.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { listTree, lokt, tempDir } from "./_helpers.ts";

const LONG = "x".repeat(200);

/** [args, expected exit code, env overrides] */
const MALFORMED: [string[], number, Record<string, string>?][] = [
  [[], 64],
  [["bogus"], 64],
  [["lok"], 64],
  [["help", "nope"], 64],
  [["lock"], 64],
  [["lock", ""], 64],
  [["lock", "../x"], 64],
  [["lock", "a/b"], 64],
  [["lock", "a\\b"], 64],
  [["lock", LONG], 64],
  [["lock", "-x"], 64],
  [["lock", "--", "-x"], 64],
  [["lock", ".hidden"], 64],
  [["lock", "a..b"], 64],
  [["lock", "a b"], 64],
  [["lock", "é"], 64],
  [["lock", "x", "--ttl"], 64],
  [["lock", "x", "--ttl", "10"], 64],
  [["lock", "x", "--ttl", "5x"], 64],
  [["lock", "x", "--ttl", "500ms"], 64],
  [["lock", "x", "--ttl", "0"], 64],
  [["lock", "x", "--ttl=-5s"], 64],
  [["lock", "x", "--ttl", "999d"], 64],
  [["lock", "x", "--timeout", "soon"], 64],
  [["lock", "x", "--pid", "abc"], 64],
  [["lock", "x", "--pid", "0"], 64],
  [["lock", "x", "--bogus"], 64],
  [["lock", "x", "y"], 64],
  [["lock", "x", "--wait=yes"], 64],
  [["lock", "x", "--reason"], 64],
  [["lock", "x", "--reason", "two\nlines"], 64],
  [["lock", "x", "--ttl", "--wait"], 64],
  [["unlock"], 64],
  [["unlock", "x", "--force", "--break-stale"], 64],
  [["unlock", "--mine", "x"], 64],
  [["unlock", "--mine", "--owner", "o"], 64],
  [["unlock", "--owner"], 64],
  [["status", "../x"], 64],
  [["status", "a", "b"], 64],
  [["status", LONG], 64],
  [["why"], 64],
  [["why", "a/b"], 64],
  [["exists"], 64],
  [["exists", "-"], 64],
  [["freeze", "x"], 64],
  [["freeze", "x", "--ttl", "100ms"], 64],
  [["freeze", "../x", "--ttl", "1m"], 64],
  [["unfreeze"], 64],
  [["whoami", "extra"], 64],
  [["version", "--x"], 64],
  [["lock", "x", "--json", "--nope"], 64],
  [["lock", "x"], 64, { LOKT_OWNER: "two\nlines" }],
  [["lock", "x"], 64, { LOKT_OWNER: "o".repeat(10_000) }],
  [["lock", "x"], 64, { LOKT_AGENT_ID: "a\tb" }],
  [["guard", "x"], 64],
  [["guard", "x", "--"], 64],
  [["guard", "x", "true"], 64],
  [["guard", "--", "true"], 64],
  [["guard", "x", "--on-lost", "maybe", "--", "true"], 64],
  [["guard", "x", "--grace", "soon", "--", "true"], 64],
  [["guard", "x", "--ttl", "100ms", "--", "true"], 64],
  [["audit", "--since", "yesterday"], 64],
  [["audit", "--limit", "x"], 64],
  [["audit", "--event", "explode"], 64],
  [["audit", "extra"], 64],
  [["doctor", "extra"], 64],
];

Deno.test(`${MALFORMED.length} malformed invocations exit with the right code, one line on stderr, nothing written`, async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const queue = [...MALFORMED];
  const failures: string[] = [];
  async function worker() {
    for (;;) {
      const next = queue.shift();
      if (!next) return;
      const [args, code, env] = next;
      const result = await lokt(args, { root, owner: "tester", env });
      const label = JSON.stringify(args).slice(0, 80);
      const lines = result.stderr.trimEnd().split("\n");
      const errorLines = lines.filter((l) => l.startsWith("error:"));
      if (result.code !== code) failures.push(`${label}: exit ${result.code}, want ${code}`);
      if (errorLines.length !== 1) {
        failures.push(`${label}: stderr ${JSON.stringify(result.stderr)}`);
      }
      if (/\n\s+at /.test(result.stderr)) failures.push(`${label}: stack trace`);
      if (!result.stderr.includes("--help")) failures.push(`${label}: no pointer to --help`);
      if (result.stdout !== "" && !args.includes("--json") && args.length > 0) {
        failures.push(`${label}: stdout ${JSON.stringify(result.stdout)}`);
      }
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()]);
  assertEquals(failures, []);
  assertEquals(await listTree(dir), [], "a usage error wrote files");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a usage error with --json still prints one JSON document with exit_code 64", async () => {
  const root = `${await tempDir()}/root`;
  const result = await lokt(["lock", "--json", "a/b"], { root, owner: "t" });
  assertEquals(result.code, 64);
  const doc = JSON.parse(result.stdout);
  assertEquals(doc.ok, false);
  assertEquals(doc.exit_code, 64);
  assertEquals(doc.error.type, "UsageError");
  assert(String(doc.error.message).includes("Invalid lock name"));
});

Deno.test("every command prints help with usage, flags and an example, exit 0", async () => {
  const commands = [
    "lock",
    "unlock",
    "status",
    "why",
    "exists",
    "freeze",
    "unfreeze",
    "whoami",
    "version",
  ];
  await Promise.all(commands.map(async (command) => {
    for (const args of [[command, "--help"], ["help", command], [command, "-h"]]) {
      const result = await lokt(args, { root: "/nonexistent/lokt-help", owner: "t" });
      assertEquals(result.code, 0, `${args}: ${result.stderr}`);
      assert(result.stdout.includes(`lokt ${command}`), args.join(" "));
      assert(result.stdout.includes("Usage:"), args.join(" "));
      assert(result.stdout.includes("Examples:"), args.join(" "));
      assert(result.stdout.includes("--json"), args.join(" "));
    }
  }));
  const top = await lokt(["--help"], {});
  assertEquals(top.code, 0);
  for (const command of commands) assert(top.stdout.includes(`  ${command}`), command);
  const version = await lokt(["--version"], {});
  assertEquals(version.code, 0);
  assert(/^lokt \d+\.\d+\.\d+/.test(version.stdout));
});

Deno.test("--json is listed, and taken, by every command that prints a result, and by no other (dashboard, mcp); the README says so", async () => {
  const help = (await lokt(["help"], { owner: "a" })).stdout;
  const commands = [...help.matchAll(/^ {2}([a-z]+) {2,}/gm)].map((m) => m[1] as string);
  assert(commands.length > 15, help);
  for (const command of commands) {
    const usage = (await lokt([command, "--help"], { owner: "a" })).stdout;
    const serves = command === "dashboard" || command === "mcp";
    assertEquals(/^ {2}--json /m.test(usage), !serves, `${command} --help`);
  }
  assertEquals((await lokt(["dashboard", "--json"], { owner: "a" })).code, 64);
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  assertMatch(
    readme.replace(/\s+/g, " "),
    /every command but `dashboard` and `mcp` \(which serve, and print no result\) takes `--json`/,
  );
});
