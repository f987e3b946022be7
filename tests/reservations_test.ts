// Path reservations through the real CLI and the library (docs/contract.md §15): the
// overlap table, all-or-nothing, shared intent, renewal, expiry, release,
// break-glass, check (read-only, literal paths), bad input, worktrees,
// a corrupt index, waiting.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { checkPaths, ReservationConflictError, reservations, reserve } from "../mod.ts";
import {
  auditEvents,
  freshRoot,
  git,
  listTree,
  lokt,
  reap,
  spawnLokt,
  tempDir,
  waitFor,
} from "./_helpers.ts";

const json = (text: string) => JSON.parse(text);

/** A repository with its lokt root, and a runner acting as an owner inside it. */
async function repo() {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const as = (owner: string, cwd = dir) => (args: string[]) => lokt(args, { owner, cwd });
  return { dir, root: `${dir}/.git/lokt`, as };
}

Deno.test("the overlap table of docs/contract.md §15 and more, through reserve: exit 2 exactly when another owner's pattern overlaps", async () => {
  const table: [string, string, boolean][] = [
    ["src/**", "src/auth/login.ts", true],
    ["src/a/**", "src/b/**", false],
    ["*.md", "docs/x.md", false],
    ["**/*.md", "docs/x.md", true],
    ["src/*.ts", "src/a*", true],
    ["a/**/b", "a/b", true],
    ["src/auth", "src/auth/x.ts", true],
    ["src/auth/", "src/authz", false],
    ["app/[slug]/page.tsx", "app/x/page.tsx", false],
    ["app/*/page.tsx", "app/[!x]*/page.tsx", true],
    ["docs/*.md", "docs/**/*.txt", false],
    ["**/*.test.ts", "src/util/**", true],
  ];
  await Promise.all(table.map(async ([first, second, conflict]) => {
    const { dir, as } = await repo();
    assertEquals((await as("a")(["reserve", first])).code, 0);
    const out = await as("b")(["reserve", second, "--json"]);
    assertEquals(out.code, conflict ? 2 : 0, `${first} vs ${second}: ${out.stderr}`);
    if (conflict) {
      const doc = json(out.stdout);
      assertEquals(doc.error.type, "ReservationConflictError");
      assertEquals(doc.conflicts[0].reservation.patterns, [first.replace(/\/$/, "")]);
      assertMatch(out.stderr, /by a/);
      assert(!out.stderr.includes("--force"), out.stderr);
    }
    // An owner never conflicts with itself (b holds `second` when it got it).
    const again = conflict ? ["reserve", first, second] : ["reserve", second];
    assertEquals((await as(conflict ? "a" : "b")(again)).code, 0);
    await Deno.remove(dir, { recursive: true });
  }));
});

Deno.test("all or nothing: one conflicting pattern refuses the whole call, audited once as reserve-deny", async () => {
  const { dir, root, as } = await repo();
  await as("a")(["reserve", "src/auth", "--reason", "refactor login"]);
  const out = await as("b")(["reserve", "docs", "lib/**", "src/auth/session.ts"]);
  assertEquals(out.code, 2);
  assertMatch(
    out.stderr,
    /"src\/auth" \(exclusive\) by a — refactor login — expires in \S+, overlaps "src\/auth\/session.ts"/,
  );
  const status = json((await as("b")(["status", "--json"])).stdout);
  assertEquals(status.reservations.map((r: { owner: string }) => r.owner), ["a"]);
  const events = (await auditEvents(root)).map((e) => e.event);
  assertEquals(events, ["reserve", "reserve-deny"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("shared intent: readers coexist, an exclusive reservation or write check conflicts with them", async () => {
  const { dir, as } = await repo();
  assertEquals((await as("a")(["reserve", "src/api/types.ts", "--shared"])).code, 0);
  assertEquals((await as("b")(["reserve", "src/api/**", "--shared"])).code, 0);
  assertEquals((await as("c")(["reserve", "src/api/types.ts"])).code, 2);
  assertEquals((await as("c")(["check", "src/api/types.ts", "--shared"])).code, 0);
  const write = await as("c")(["check", "src/api/types.ts"]);
  assertEquals(write.code, 2);
  assertMatch(write.stdout, /by a/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("reserving again renews (same id, new expiry, mode may change); an expired reservation is ignored at once and removed, audited once", async () => {
  const { dir, root, as } = await repo();
  const first = json((await as("a")(["reserve", "src", "--ttl", "1s", "--json"])).stdout);
  const again = json(
    (await as("a")(["reserve", "src", "--ttl", "1h", "--shared", "--json"])).stdout,
  );
  assertEquals(again.reservations[0].id, first.reservations[0].id);
  assertEquals([again.renewed, again.reservations[0].mode], [[first.reservations[0].id], "shared"]);
  await as("a")(["reserve", "lib", "--ttl", "1s"]);
  // Once its TTL (and the skew tolerance) passed, "lib" is in nobody's way.
  await waitFor(async () => (await as("b")(["check", "lib/x.ts"])).code === 0, "lib to expire");
  assertEquals((await as("b")(["reserve", "lib/x.ts"])).code, 0);
  const broke = (await auditEvents(root)).filter((e) => e.event === "reserve-break");
  assertEquals(broke.map((e) => [e.name, (e.detail as Record<string, unknown>).why]), [[
    "lib",
    "expired",
  ]]);
  const status = json((await as("b")(["status", "--json"])).stdout).reservations;
  assertEquals(status.map((r: { patterns: string[] }) => r.patterns[0]).sort(), [
    "lib/x.ts",
    "src",
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("release: patterns in normal form, --all, not held (3), bare (64); --owner needs --force and is audited as reserve-break", async () => {
  const { dir, root, as } = await repo();
  await as("a")(["reserve", "src/auth", "docs", "lib"]);
  const one = await as("a")(["release", "./src/auth/"]);
  assertEquals([one.code, one.stdout.trim()], [0, 'released 1 reservation(s): "src/auth"']);
  assertEquals((await as("a")(["release", "nothing/here"])).code, 3);
  assertEquals((await as("a")(["release"])).code, 64);
  assertEquals((await as("b")(["release", "docs"])).code, 3);
  const other = await as("ops")(["release", "--owner", "a"]);
  assertEquals(other.code, 64);
  assert(!other.stdout.includes("broke"));
  const forced = await as("ops")(["release", "--owner", "a", "--force"]);
  assertEquals(forced.code, 0);
  assertMatch(forced.stdout, /broke 2 reservation\(s\) of a/);
  assertEquals(json((await as("a")(["status", "--json"])).stdout).reservations, []);
  const events = (await auditEvents(root)).map((e) => e.event);
  assertEquals(events.filter((e) => e === "reserve-break").length, 2);
  assertEquals(events.filter((e) => e === "unreserve").length, 1);
  await as("a")(["reserve", "x", "y"]);
  assertEquals(
    (await as("a")(["release", "--all"])).stdout.trim(),
    'released 2 reservation(s): "x", "y"',
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("bad input is exit 64 and writes nothing: outside the worktree, '..' after a glob, too long, too many, empty, unterminated class, --ttl 0", async () => {
  const { dir, root, as } = await repo();
  const bad: string[][] = [
    ["reserve", "/etc/passwd"],
    ["reserve", "src/*/../secrets"],
    ["reserve", ".."],
    ["reserve", "../elsewhere/x"],
    ["reserve", ":/"],
    ["reserve", "x".repeat(513)],
    ["reserve", ...Array.from({ length: 65 }, (_, i) => `f${i}`)],
    ["reserve", ""],
    ["reserve", "."],
    ["reserve", "src/[ab"],
    ["reserve"],
    ["reserve", "src", "--ttl", "0"],
    ["check", "../x"],
    ["check"],
    ["release", "--all", "src"],
  ];
  for (const args of bad) {
    const out = await as("a")(args);
    assertEquals(out.code, 64, `${args.join(" ").slice(0, 60)}: ${out.stderr}`);
    assertEquals(out.stderr.trim().split("\n").length, 1, out.stderr);
  }
  assertEquals(await listTree(root), []);
  // An absolute path inside the worktree is made relative.
  const abs = json((await as("a")(["reserve", `${dir}/src/main.ts`, "--json"])).stdout);
  assertEquals(abs.reservations[0].patterns, ["src/main.ts"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("check is read-only and takes literal paths: glob characters name files, each path covers its subtree", async () => {
  const { dir, root, as } = await repo();
  await as("a")(["reserve", "app/*/page.tsx", "src/auth/login.ts"]);
  const before = [await listTree(root), await Deno.readTextFile(`${root}/audit.jsonl`)];
  assertEquals((await as("b")(["check", "app/[slug]/page.tsx"])).code, 2);
  assertEquals((await as("b")(["check", "app/[slug]/layout.tsx"])).code, 0);
  assertEquals((await as("b")(["check", "src/auth"])).code, 2);
  assertEquals((await as("b")(["check", "src/authz", "docs"])).code, 0);
  assertEquals((await as("a")(["check", "src/auth"])).code, 0);
  const doc = json((await as("b")(["check", "src", "--json"])).stdout);
  assertEquals([doc.allowed, doc.conflicts[0].path, doc.conflicts[0].reservation.owner], [
    false,
    "src",
    "a",
  ]);
  assertEquals([await listTree(root), await Deno.readTextFile(`${root}/audit.jsonl`)], before);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("paths are relative to the cwd like git pathspecs (':/' for the top), shown relative to the top; worktrees of one repository share them", async () => {
  const { dir, as } = await repo();
  await Deno.writeTextFile(`${dir}/README`, "x");
  await git(dir, "add", "README");
  await git(dir, "commit", "-qm", "init");
  await git(dir, "worktree", "add", "-q", `${dir}-wt`, "-b", "other");
  await Deno.mkdir(`${dir}/src/deep`, { recursive: true });
  const fromSub = json(
    (await as("a", `${dir}/src/deep`)([
      "reserve",
      ":/src/auth",
      "../auth/**/*.ts",
      "x.ts",
      "--json",
    ])).stdout,
  );
  assertEquals(fromSub.reservations.map((r: { patterns: string[] }) => r.patterns[0]), [
    "src/auth",
    "src/auth/**/*.ts",
    "src/deep/x.ts",
  ]);
  // From a subdirectory, a path there is checked where it is (was: the top's 'auth/login.ts').
  const sub = await as("b", `${dir}/src`)(["check", "auth/login.ts"]);
  assertEquals(sub.code, 2, sub.stdout);
  assertMatch(sub.stdout, /src\/auth/);
  assertEquals((await as("b", `${dir}/src`)(["check", "other/a.ts"])).code, 0);
  const elsewhere = await as("b", `${dir}-wt`)(["check", "src/auth/x.ts"]);
  assertEquals(elsewhere.code, 2, elsewhere.stderr);
  assertEquals((await as("b", `${dir}-wt`)(["check", `${dir}-wt/src/auth`])).code, 2);
  await Deno.remove(`${dir}-wt`, { recursive: true });
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a corrupt index: status and doctor report it, check answers with a warning, reserve replaces it once old (audited)", async () => {
  const { dir, root, as } = await repo();
  await as("a")(["reserve", "src"]);
  await Deno.writeTextFile(`${root}/reservations/_index.json`, "{ torn");
  const status = await as("b")(["status"]);
  assertMatch(status.stdout, /corrupt index/);
  const doctor = await as("b")(["doctor"]);
  assertMatch(doctor.stdout, /reservations index is corrupt/);
  const check = await as("b")(["check", "src/x"]);
  assertEquals(check.code, 0);
  assertMatch(check.stderr, /^warning: the reservations index is corrupt/);
  // Within its grace period it may be a foreign writer mid-write: refused, nothing replaced.
  assertEquals((await as("b")(["reserve", "src"])).code, 1);
  const past = new Date(Date.now() - 60_000);
  await Deno.utime(`${root}/reservations/_index.json`, past, past);
  assertEquals((await as("b")(["reserve", "src"])).code, 0);
  const broke = (await auditEvents(root)).filter((e) => e.event === "reserve-break");
  assertEquals(broke.map((e) => (e.detail as Record<string, unknown>).corrupt), [
    "not a valid reservations index",
  ]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("reserve --wait is granted as soon as the conflicting reservation goes away; --pid ties reservations to a process", async () => {
  const { dir, as } = await repo();
  await as("a")(["reserve", "src/auth"]);
  const waiter = spawnLokt(["reserve", "src/**", "--wait", "--timeout", "60s"], {
    owner: "b",
    cwd: dir,
  });
  try {
    const root = `${dir}/.git/lokt`;
    await waitFor(
      async () => (await auditEvents(root)).some((e) => e.event === "reserve-deny"),
      "the waiter to be refused once",
    );
    assertEquals((await as("a")(["release", "src/auth"])).code, 0);
    const out = await waiter.output();
    assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
  } finally {
    await reap(waiter);
  }
  const sleeper = new Deno.Command("sleep", { args: ["60"] }).spawn();
  try {
    assertEquals((await as("c")(["reserve", "lib", "--pid", String(sleeper.pid)])).code, 0);
    assertEquals((await as("d")(["check", "lib"])).code, 2);
    sleeper.kill("SIGKILL");
    await sleeper.status;
    assertEquals((await as("d")(["check", "lib"])).code, 0);
  } finally {
    try {
      sleeper.kill("SIGKILL");
    } catch {
      // Already ended.
    }
    await sleeper.status;
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("many reservations of two holder processes, one alive and one dead, are each judged by their own process", async () => {
  const { dir, as } = await repo();
  const alive = new Deno.Command("sleep", { args: ["60"] }).spawn();
  const dead = new Deno.Command("sleep", { args: ["60"] }).spawn();
  try {
    // Interleaved in the index: each holder's reservations alternate with the other's.
    for (let i = 0; i < 40; i++) {
      const [owner, holder] = i % 2 ? ["gone", dead] : ["here", alive];
      const out = await as(owner)(["reserve", `lib/f${i}.ts`, "--pid", String(holder.pid)]);
      assertEquals(out.code, 0, out.stderr);
    }
    dead.kill("SIGKILL");
    await dead.status;
    const status = json((await as("d")(["status", "--json"])).stdout);
    for (const r of status.reservations as { owner: string; status: string }[]) {
      assertEquals(r.status, r.owner === "here" ? "live" : "dead", JSON.stringify(r));
    }
    assertEquals(status.reservations.length, 40);
    // A reserve of all 40 meets exactly the 20 live ones (and cleans the dead ones).
    const all = Array.from({ length: 40 }, (_, i) => `lib/f${i}.ts`);
    const refused = await as("d")(["reserve", ...all, "--json"]);
    assertEquals(refused.code, 2, refused.stderr);
    const conflicts = json(refused.stdout).conflicts as { pattern: string }[];
    assertEquals(conflicts.map((c) => c.pattern).sort(), all.filter((_, i) => i % 2 === 0).sort());
  } finally {
    for (const p of [alive, dead]) {
      try {
        p.kill("SIGKILL");
      } catch {
        // Already ended.
      }
      await p.status;
    }
  }
  await Deno.remove(dir, { recursive: true });
});

Deno.test("library: reserve() with await using, checkPaths(), reservations(); a conflict is a ReservationConflictError", async () => {
  const { dir, root } = await freshRoot();
  {
    await using held = await reserve(["src/auth", "docs/*.md"], {
      root,
      owner: "lib-a",
      reason: "x",
    });
    assertEquals(held.patterns, ["src/auth", "docs/*.md"]);
    const answer = await checkPaths("docs/intro.md", { root, owner: "lib-b" });
    assertEquals([answer.allowed, answer.conflicts[0]?.reservation.owner], [false, "lib-a"]);
    assert((await checkPaths(["docs/intro.md"], { root, owner: "lib-a" })).allowed);
    let refused: unknown = null;
    try {
      await reserve("src/**", { root, owner: "lib-b" });
    } catch (err) {
      refused = err;
    }
    assert(refused instanceof ReservationConflictError, String(refused));
    assertEquals((await reservations({ root })).map((j) => j.reservation.owner), [
      "lib-a",
      "lib-a",
    ]);
    assertEquals(held.records[0]?.liveness, "process");
  }
  assertEquals(await reservations({ root }), []);
  await Deno.remove(dir, { recursive: true });
});
