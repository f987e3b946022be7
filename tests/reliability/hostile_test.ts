// Reliability: hostile command lines and environment values. Right exit code, one-line
// error, no stack trace, nothing written outside the root.
import { assert, assertEquals } from "../_assert.ts";
import { rejects } from "node:assert/strict";
import { listTree, lokt, tempDir } from "../_helpers.ts";
import { acquire, status, UsageError, why } from "../../mod.ts";

type Case = { args: string[]; code: number; env?: Record<string, string>; owner?: string | null };

const NAMES = [
  "/",
  "\\",
  "a/b",
  "a\\b",
  "../x",
  "..",
  ".",
  "-",
  "--x",
  ".env",
  "a..b",
  "x".repeat(129),
  "ü",
  "名前",
  "🔒",
  "a b",
  "a\tb",
  "a;b",
  "$(id)",
  "`id`",
  "*",
  "?",
  "~",
  "a%2fb",
  "a:b",
  "a|b",
  "",
];
const DURATIONS = [
  "1e3s",
  "٣s",
  "5 m",
  "+5m",
  "0x10s",
  "NaNs",
  "Infinitys",
  "1.5.5s",
  "-1s",
  "5",
  "5M",
  "1w",
];

const CASES: Case[] = [
  ...NAMES.map((name) => ({ args: ["lock", name], code: 64 })),
  ...NAMES.slice(0, 6).map((name) => ({ args: ["status", name], code: 64 })),
  ...NAMES.slice(0, 4).map((name) => ({ args: ["guard", name, "--", "true"], code: 64 })),
  ...DURATIONS.map((d) => ({ args: ["lock", "ok", "--ttl", d], code: 64 })),
  { args: ["lock", "ok", "--reason", "line\nbreak"], code: 64 },
  { args: ["lock", "ok", "--reason", "r".repeat(2000)], code: 64 },
  { args: ["lock", "ok", "--pid", "-1"], code: 64 },
  { args: ["lock", "ok", "--pid", "1e3"], code: 64 },
  { args: ["lock", "ok", "--pid", "99999999999"], code: 64 },
  { args: ["lock", "ok"], code: 64, env: { LOKT_OWNER: "a\nb" } },
  { args: ["lock", "ok"], code: 64, env: { LOKT_OWNER: "o".repeat(10 * 1024) } },
  { args: ["lock", "ok"], code: 64, env: { LOKT_OWNER: " padded" } },
  { args: ["lock", "ok"], code: 64, env: { LOKT_OWNER: "bell\u0007" } },
  { args: ["lock", "ok"], code: 64, env: { LOKT_AGENT_ID: "x\ny" } },
  { args: ["status"], code: 64, env: { LOKT_OWNER: "a\rb" } },
  { args: ["lock", "ok"], code: 64, env: { LOKT_ROOT: "bad\nroot" } },
  { args: ["status"], code: 64, env: { LOKT_ROOT: "   " } },
  { args: ["audit", "--owner", "a\nb"], code: 64 },
  { args: ["unlock", "--owner", "x".repeat(300)], code: 64 },
];

Deno.test(`${CASES.length} hostile command lines and environment values are refused cleanly`, async () => {
  assert(CASES.length >= 50);
  const dir = await tempDir();
  const work = `${dir}/work`;
  await Deno.mkdir(work);
  const root = `${dir}/root`;
  const failures: string[] = [];
  const queue = [...CASES];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const result = await lokt(c.args, { root, owner: "hostile", cwd: work, env: c.env });
      const label = JSON.stringify([c.args, c.env ?? {}]).slice(0, 100);
      if (result.code !== c.code) {
        failures.push(`${label}: exit ${result.code}, want ${c.code}: ${result.stderr}`);
      }
      const lines = result.stderr.trim().split("\n");
      if (lines.length !== 1 || !lines[0]?.startsWith("error: ")) {
        failures.push(`${label}: stderr ${result.stderr}`);
      }
      if (/\bat \S+:\d+:\d+/.test(result.stderr)) failures.push(`${label}: stack trace`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  assertEquals(failures, []);
  // Usage errors write nothing at all.
  assertEquals(await listTree(dir), ["work"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a relative LOKT_ROOT is made absolute against the cwd and nothing is written elsewhere", async () => {
  const dir = await tempDir();
  const result = await lokt(["lock", "rel"], {
    cwd: dir,
    owner: "a",
    env: { LOKT_ROOT: "state/lokt" },
  });
  assertEquals(result.code, 0, result.stderr);
  const tree = await listTree(dir);
  assert(tree.every((p) => p.startsWith("state")), tree.join(", "));
  assert(tree.includes("state/lokt/locks/rel.json"));
  const who = JSON.parse(
    (await lokt(["whoami", "--json"], { cwd: dir, env: { LOKT_ROOT: "state/lokt" } })).stdout,
  );
  // Relative to the cwd the child saw (the real path of the directory).
  assertEquals(who.root, `${await Deno.realPath(dir)}/state/lokt`);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("LOKT_ROOT pointing at a file: writes fail with exit 1, reads report nothing, the file is untouched", async () => {
  const dir = await tempDir();
  const file = `${dir}/file`;
  await Deno.writeTextFile(file, "precious");
  const lock = await lokt(["lock", "x"], { root: file, owner: "a" });
  assertEquals(lock.code, 1);
  assertEquals(lock.stderr.trim().split("\n").length, 1);
  assertEquals((await lokt(["status"], { root: file, owner: "a" })).code, 0);
  assertEquals((await lokt(["exists", "x"], { root: file, owner: "a" })).code, 3);
  assertEquals(await Deno.readTextFile(file), "precious");
  assertEquals(await listTree(dir), ["file"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("unicode owners work; a NUL in a name is refused by the library", async () => {
  const root = `${await tempDir()}/root`;
  const result = await lokt(["lock", "u", "--json"], { root, owner: "агент-1 🤖" });
  assertEquals(result.code, 0, result.stderr);
  assertEquals(JSON.parse(result.stdout).lock.owner, "агент-1 🤖");
  await rejects(acquire("a\0b", { root }), UsageError);
  await rejects(status({ root, name: "a\0b" }), UsageError);
  await rejects(why("a\u0000", { root }), UsageError);
  await Deno.remove(root, { recursive: true });
});
