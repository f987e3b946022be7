// Reliability: corrupt, hostile and misplaced data never crash lokt, escape the root,
// or count as free before the grace period.
import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { lokt, tempDir } from "../_helpers.ts";

const VALID = {
  version: 1,
  name: "x",
  lock_id: "a".repeat(32),
  fence: 3,
  owner: "o",
  agent_id: "a",
  host: "h",
  machine_id: "m",
  pid: 1,
  pid_start: null,
  liveness: "ttl",
  acquired_at: new Date().toISOString(),
  renewed_at: new Date().toISOString(),
  ttl_ms: 60_000,
  expires_at: new Date(Date.now() + 60_000).toISOString(),
  reason: null,
  command: null,
};

const CASES: [string, (path: string) => Promise<void>][] = [
  ["empty", (p) => Deno.writeTextFile(p, "")],
  ["truncated", (p) => Deno.writeTextFile(p, JSON.stringify(VALID).slice(0, 40))],
  ["garbage", (p) => Deno.writeFile(p, crypto.getRandomValues(new Uint8Array(300)))],
  ["wrong schema", (p) => Deno.writeTextFile(p, JSON.stringify({ owner: "@", pid: "x" }))],
  ["a JSON array", (p) => Deno.writeTextFile(p, "[1,2,3]")],
  [
    "another lock's record",
    (p) => Deno.writeTextFile(p, JSON.stringify({ ...VALID, name: "other" })),
  ],
  ["huge (10 MB)", (p) => Deno.writeTextFile(p, `{"pad":"${"x".repeat(10 * 1024 * 1024)}"}`)],
  ["a directory", (p) => Deno.mkdir(p)],
];

for (const [kind, make] of CASES) {
  Deno.test(`a corrupt record (${kind}) is shown as corrupt, blocks during its grace period, then is replaced`, async () => {
    const dir = await tempDir();
    const root = `${dir}/root`;
    await Deno.mkdir(`${root}/locks`, { recursive: true });
    const path = `${root}/locks/x.json`;
    await make(path);
    const denied = await lokt(["lock", "x"], { root, owner: "b" });
    assertEquals(denied.code, 2, denied.stderr);
    assertMatch(denied.stderr, /corrupt record/);
    const status = await lokt(["status"], { root, owner: "b" });
    assertEquals(status.code, 0);
    assertMatch(status.stdout, /x\s+corrupt/);
    assert(!status.stdout.includes("@"));
    assertEquals((await lokt(["why", "x"], { root, owner: "b" })).code, 2);
    const past = new Date(Date.now() - 60_000);
    await Deno.utime(path, past, past);
    const taken = await lokt(["lock", "x", "--json"], { root, owner: "b" });
    assertEquals(taken.code, 0, taken.stderr);
    assertEquals(JSON.parse(taken.stdout).broke.event, "corrupt-break");
    await Deno.remove(dir, { recursive: true });
  });
}

Deno.test("unlock --force removes any corrupt entry, an empty file and a directory included", async () => {
  const root = `${await tempDir()}/root`;
  await Deno.mkdir(`${root}/locks/d.json`, { recursive: true });
  await Deno.writeTextFile(`${root}/locks/d.json/inner`, "x");
  await Deno.writeTextFile(`${root}/locks/e.json`, "");
  for (const name of ["d", "e"]) {
    const result = await lokt(["unlock", name, "--force", "--json"], { root, owner: "b" });
    assertEquals(result.code, 0, result.stderr);
    assertEquals(JSON.parse(result.stdout).action, "force-break");
  }
  assertEquals(
    (await lokt(["status", "--json"], { root, owner: "b" })).stdout.includes('"locks":[]'),
    true,
  );
});

Deno.test("a record from a newer lokt is never replaced automatically, only by --force", async () => {
  const root = `${await tempDir()}/root`;
  await Deno.mkdir(`${root}/locks`, { recursive: true });
  await Deno.writeTextFile(
    `${root}/locks/x.json`,
    JSON.stringify({ ...VALID, version: 4, extra: true }),
  );
  const past = new Date(Date.now() - 600_000);
  await Deno.utime(`${root}/locks/x.json`, past, past);
  const denied = await lokt(["lock", "x"], { root, owner: "b" });
  assertEquals(denied.code, 2);
  assertMatch(denied.stderr, /newer lokt/);
  assertEquals((await lokt(["unlock", "x", "--break-stale"], { root, owner: "b" })).code, 1);
  assertEquals((await lokt(["unlock", "x", "--force"], { root, owner: "b" })).code, 0);
});

Deno.test("symlinks in lokt's places are never followed out of the root", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  const outside = `${dir}/outside`;
  await Deno.mkdir(outside);
  await Deno.writeTextFile(`${outside}/secret.json`, JSON.stringify(VALID));
  await Deno.writeTextFile(`${outside}/mutex`, "do not touch");
  await Deno.mkdir(`${root}/locks`, { recursive: true });
  await Deno.mkdir(`${root}/mutex`, { recursive: true });
  // A lock record that is a symlink to a valid-looking record outside.
  await Deno.symlink(`${outside}/secret.json`, `${root}/locks/evil.json`);
  const status = await lokt(["status", "--json"], { root, owner: "b" });
  const evil = JSON.parse(status.stdout).locks[0];
  assertEquals([evil.name, evil.status, evil.corruption], [
    "evil",
    "corrupt",
    "is a symbolic link",
  ]);
  assertEquals((await lokt(["lock", "evil"], { root, owner: "b" })).code, 2);
  assertEquals((await lokt(["unlock", "evil", "--force"], { root, owner: "b" })).code, 0);
  assertEquals(await Deno.readTextFile(`${outside}/secret.json`), JSON.stringify(VALID));
  // A mutex file that is a symlink: refused, target untouched.
  await Deno.symlink(`${outside}/mutex`, `${root}/mutex/m.lock`);
  const refused = await lokt(["lock", "m"], { root, owner: "b" });
  assertEquals(refused.code, 1);
  assertMatch(refused.stderr, /symbolic link/);
  assertEquals(await Deno.readTextFile(`${outside}/mutex`), "do not touch");
  // A whole directory replaced by a symlink: refused for reads and writes.
  await Deno.remove(`${root}/locks`, { recursive: true });
  await Deno.symlink(outside, `${root}/locks`);
  for (const args of [["status"], ["lock", "secret"], ["why", "secret"]]) {
    const result = await lokt(args, { root, owner: "b" });
    assertEquals(result.code, 1, `${args}: ${result.stdout}`);
    assertMatch(result.stderr, /symbolic link/);
  }
  assertEquals((await Array.fromAsync(Deno.readDir(outside))).map((e) => e.name).sort(), [
    "mutex",
    "secret.json",
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("an audit trail that is a symlink or has a non-UTF-8 line does not break lokt", async () => {
  const dir = await tempDir();
  const root = `${dir}/root`;
  await Deno.mkdir(root, { recursive: true });
  await Deno.writeTextFile(`${dir}/elsewhere`, "");
  await Deno.symlink(`${dir}/elsewhere`, `${root}/audit.jsonl`);
  const result = await lokt(["lock", "a"], { root, owner: "b" });
  assertEquals(result.code, 0);
  assertMatch(result.stderr, /warning: cannot write audit trail.*symbolic link/);
  assertEquals(await Deno.readTextFile(`${dir}/elsewhere`), "");
  await Deno.remove(dir, { recursive: true });
});
