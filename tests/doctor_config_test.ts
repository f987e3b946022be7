// doctor's verdicts, and lokt.jsonc through the CLI.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { git, listTree, lokt, tempDir } from "./_helpers.ts";

type Check = { id: string; status: string; message: string; fix: string | null };

async function doctor(root: string): Promise<{ code: number; checks: Check[] }> {
  const result = await lokt(["doctor", "--json"], { root, owner: "doc" });
  return { code: result.code, checks: JSON.parse(result.stdout).checks };
}

Deno.test("doctor is all OK on a healthy root and exits 0", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  await lokt(["lock", "x"], { root, owner: "a" });
  const { code, checks } = await doctor(root);
  assertEquals(code, 0);
  assertEquals(checks.filter((c) => c.status !== "OK"), []);
  for (
    const id of [
      "root",
      "root-type",
      "writable",
      "atomic-create",
      "filesystem",
      "clock",
      "records",
      "audit",
      "config",
      "permissions",
    ]
  ) {
    assert(checks.some((c) => c.id === id), id);
  }
  // Probe files are cleaned up.
  assertEquals((await listTree(root)).filter((p) => p.includes("doctor")), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("doctor FAILs (exit 1) when the root is a regular file", async () => {
  const dir = await tempDir();
  const root = `${dir}/rootfile`;
  await Deno.writeTextFile(root, "not a directory");
  const { code, checks } = await doctor(root);
  assertEquals(code, 1);
  const check = checks.find((c) => c.id === "root-type");
  assertEquals(check?.status, "FAIL");
  assertMatch(check?.fix ?? "", /remove it/);
  const text = await lokt(["doctor"], { root, owner: "doc" });
  assertMatch(text.stdout, /FAIL\s+root-type/);
  // And lock says why, with exit 1 and nothing written.
  const lock = await lokt(["lock", "x"], { root, owner: "a" });
  assertEquals(lock.code, 1);
  assertMatch(lock.stderr, /not a directory/);
  assertEquals(await Deno.readTextFile(root), "not a directory");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("doctor WARNs on a clock in the past (behind the newest audit event)", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  await lokt(["lock", "x"], { root, owner: "a" });
  const future = {
    ts: "2099-01-01T00:00:00.000Z",
    event: "acquire",
    name: "x",
    lock_id: null,
    fence: null,
    owner: "a",
    agent_id: "a",
    host: "h",
    pid: 1,
    ttl_ms: null,
    reason: null,
    detail: null,
  };
  await Deno.writeTextFile(`${root}/audit.jsonl`, JSON.stringify(future) + "\n", { append: true });
  const { code, checks } = await doctor(root);
  assertEquals(code, 0);
  const clock = checks.find((c) => c.id === "clock");
  assertEquals(clock?.status, "WARN");
  assertMatch(clock?.message ?? "", /behind the newest audit event/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("doctor WARNs on corrupt records and leftover temporary files, FAILs on a broken config", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const root = `${dir}/.git/lokt`;
  const run = (args: string[]) => lokt(args, { cwd: dir, owner: "doc" });
  await run(["lock", "ok"]);
  await Deno.writeTextFile(`${root}/locks/bad.json`, "");
  await Deno.writeTextFile(`${root}/locks/.ok.json.1.abc.tmp`, "{");
  const old = new Date(Date.now() - 3_600_000);
  await Deno.utime(`${root}/locks/.ok.json.1.abc.tmp`, old, old);
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, '{\n  "defaults": { "ttl": "10" }\n}\n');
  const result = await run(["doctor", "--json"]);
  assertEquals(result.code, 1);
  const checks: Check[] = JSON.parse(result.stdout).checks;
  const by = (id: string) => checks.find((c) => c.id === id);
  assertEquals(by("records")?.status, "WARN");
  assertEquals(by("records")?.fix, "lokt unlock bad --force");
  assertEquals(by("orphans")?.status, "WARN");
  assertEquals(by("config")?.status, "FAIL");
  assertMatch(by("config")?.message ?? "", /lokt\.jsonc:2: key "defaults\.ttl"/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("lokt.jsonc sets default and per-name TTLs and wait policies; invalid config exits 1 naming file, line, key", async () => {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await Deno.writeTextFile(
    `${dir}/lokt.jsonc`,
    `// lokt configuration
{
  "defaults": { "ttl": "2h", "timeout": "3s" },
  "locks": {
    /* builds are short */
    "build": { "ttl": "10m", "wait": true },
  },
}
`,
  );
  const run = (args: string[], owner = "a") => lokt(args, { cwd: dir, owner });
  const build = JSON.parse((await run(["lock", "build", "--json"])).stdout);
  assertEquals(build.lock.ttl_ms, 600_000);
  const other = JSON.parse((await run(["lock", "other", "--json"])).stdout);
  assertEquals(other.lock.ttl_ms, 7_200_000);
  const flag = JSON.parse((await run(["lock", "flagged", "--ttl", "1m", "--json"])).stdout);
  assertEquals(flag.lock.ttl_ms, 60_000);
  // "build" waits by policy (default timeout 3s from the config), then times out.
  const started = Date.now();
  const waited = await run(["lock", "build"], "b");
  assertEquals(waited.code, 2);
  assertMatch(waited.stderr, /timed out after/);
  assert(Date.now() - started >= 2500);
  await Deno.writeTextFile(
    `${dir}/lokt.jsonc`,
    '{\n  "locks": {\n    "build": { "tll": "5m" }\n  }\n}\n',
  );
  const bad = await run(["lock", "x"]);
  assertEquals(bad.code, 1);
  assertMatch(
    bad.stderr,
    /^error: Invalid config \S+lokt\.jsonc:3: key "locks\.build\.tll" is not a known setting\n$/,
  );
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, "{ not json");
  const syntax = await run(["lock", "x"]);
  assertEquals(syntax.code, 1);
  assertMatch(syntax.stderr, /lokt\.jsonc:1: not valid JSONC/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("doctor: a root that is a symbolic link out of the repository is reported, naming its target", async () => {
  const dir = await Deno.realPath(await tempDir());
  await git(dir, "init", "-q");
  await Deno.mkdir(`${dir}/elsewhere`);
  await Deno.symlink(`${dir}/elsewhere`, `${dir}/.git/lokt`);
  const out = await lokt(["doctor", "--json"], { cwd: dir, owner: "a" });
  const checks = JSON.parse(out.stdout).checks as { id: string; status: string; message: string }[];
  const link = checks.find((c) => c.id === "root-link");
  assertEquals(link?.status, "WARN", out.stdout);
  assertMatch(link?.message ?? "", new RegExp(`symbolic link to ${dir}/elsewhere`));
});
