// Agent-harness hooks (docs/contract.md §16) fed the recorded payloads of every event and
// tool kind (tests/fixtures/hooks/), each through a stand-in harness process:
// the exact JSON answered or the empty answer, the env-file lines, the
// registered session acting as one owner, releases at SessionEnd, failing
// open; and the swarm story of three sessions with reserve_on_edit.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { Harness, payload } from "./_stand_in_harness.ts";
import { auditEvents, git, lokt, tempDir } from "./_helpers.ts";

async function repo(config?: string) {
  const dir = await tempDir();
  await git(dir, "init", "-q");
  await Deno.mkdir(`${dir}/src`);
  for (const f of ["taken.ts", "free.ts", "app.ts", "other.ts"]) {
    await Deno.writeTextFile(`${dir}/src/${f}`, "x\n");
  }
  if (config) await Deno.writeTextFile(`${dir}/lokt.jsonc`, config);
  return { dir, root: `${dir}/.git/lokt` };
}

const denied = (reply: { stdout: string }) => JSON.parse(reply.stdout).hookSpecificOutput;

Deno.test("every recorded PreToolUse payload: a reserved path is denied with the exact answer, anything else gets no output", async () => {
  const { dir } = await repo();
  assertEquals(
    (await lokt(["reserve", "src/taken.ts", "--reason", "refactor"], { owner: "other", cwd: dir }))
      .code,
    0,
  );
  const harness = new Harness(dir);
  try {
    const cases: [string, string, string, boolean][] = [
      ["claude", "claude_pre_write.json", "src/taken.ts", true],
      ["claude", "claude_pre_edit.json", "src/taken.ts", true],
      ["claude", "claude_pre_multiedit.json", "src/taken.ts", true],
      ["claude", "claude_pre_notebook.json", "src/taken.ts", true],
      ["codex", "codex_pre_apply_patch.json", "src/taken.ts", true],
      ["codex", "codex_pre_apply_patch_argv.json", "src/taken.ts", true],
      ["claude", "claude_pre_write.json", "src/free.ts", false],
      ["claude", "claude_pre_edit.json", "src/free.ts", false],
      ["codex", "codex_pre_apply_patch.json", "src/free.ts", false],
      ["claude", "claude_pre_bash.json", "src/taken.ts", false],
      ["claude", "claude_post_write.json", "src/taken.ts", false],
      ["codex", "codex_pre_bash.json", "src/taken.ts", false],
    ];
    for (const [kind, file, target, deny] of cases) {
      const reply = await harness.hook(
        kind,
        payload(file, { SESSION: "sess-1234-abcd", CWD: dir, FILE: target }),
      );
      assertEquals(reply.code, 0, `${file} ${target}: ${reply.stderr}`);
      assertEquals(reply.stderr, "", file);
      if (!deny) {
        assertEquals(reply.stdout, "", `${file} ${target} must print nothing (never "allow")`);
        continue;
      }
      const answer = denied(reply);
      assertEquals(Object.keys(JSON.parse(reply.stdout)), ["hookSpecificOutput"]);
      assertEquals(Object.keys(answer), [
        "hookEventName",
        "permissionDecision",
        "permissionDecisionReason",
      ]);
      assertEquals([answer.hookEventName, answer.permissionDecision], ["PreToolUse", "deny"]);
      assertMatch(
        answer.permissionDecisionReason,
        /src\/taken\.ts is reserved by another agent: "src\/taken\.ts" \(exclusive\) by other — refactor — expires in \S+/,
      );
      assert(!answer.permissionDecisionReason.includes("--force"), answer.permissionDecisionReason);
    }
    // A path outside the worktree is never covered.
    const outside = payload("claude_pre_write.json", {
      SESSION: "s",
      CWD: dir,
      FILE: "../elsewhere.ts",
    });
    assertEquals((await harness.hook("claude", outside)).stdout, "");
  } finally {
    await harness.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SessionStart: the env-file lines and the primer; the agent's shell calls act as the session's owner; SessionEnd releases its holds and reservations", async () => {
  const { dir, root } = await repo();
  const envFile = `${dir}/claude-env`;
  const harness = new Harness(dir, { CLAUDE_ENV_FILE: envFile });
  try {
    const start = await harness.hook(
      "claude",
      payload("claude_session_start.json", { SESSION: "5f3c9a1e-77aa-4b0e", CWD: dir }),
    );
    assertEquals(start.code, 0, start.stderr);
    const context = JSON.parse(start.stdout).hookSpecificOutput;
    assertEquals(context.hookEventName, "SessionStart");
    assertMatch(context.additionalContext, /^lokt: you act as claude-5f3c9a1e77aa/);
    assertMatch(context.additionalContext, /never use `--force`/i);
    const lines = (await Deno.readTextFile(envFile)).split("\n");
    assertEquals(lines[0], "export LOKT_OWNER=claude-5f3c9a1e77aa");
    assertMatch(lines[1] as string, /^export LOKT_AGENT_ID=agent-[0-9a-f]{8}$/);
    // No LOKT_OWNER in the agent's shell: the registered harness above it decides.
    const who = JSON.parse((await harness.shell("lokt whoami --json")).stdout);
    assertEquals(who.owner, "claude-5f3c9a1e77aa");
    assertMatch(who.owner_source, /claude session 5f3c9a1e-77aa-4b0e \(registered for pid \d+\)/);
    assertEquals((await harness.shell("lokt reserve src/app.ts && lokt lock build")).code, 0);
    // The session's own reservation never denies its own edit.
    const own = await harness.hook(
      "claude",
      payload("claude_pre_edit.json", {
        SESSION: "5f3c9a1e-77aa-4b0e",
        CWD: dir,
        FILE: "src/app.ts",
      }),
    );
    assertEquals(own.stdout, "");
    const end = await harness.hook(
      "claude",
      payload("claude_session_end.json", { SESSION: "5f3c9a1e-77aa-4b0e", CWD: dir }),
    );
    assertEquals([end.code, end.stdout], [0, ""]);
    const status = JSON.parse(
      (await lokt(["status", "--json"], { cwd: dir, owner: "viewer" })).stdout,
    );
    assertEquals([status.locks, status.reservations], [[], []]);
    const events = (await auditEvents(root)).map((e) => [e.event, e.owner]);
    assertEquals(events.slice(-2).map((e) => e[0]).sort(), ["release", "unreserve"]);
    assert(events.every(([, owner]) => owner === "claude-5f3c9a1e77aa"), JSON.stringify(events));
    // The session is gone from the registry: the shell is no longer that owner.
    const after = JSON.parse((await harness.shell("lokt whoami --json")).stdout);
    assert(after.owner !== "claude-5f3c9a1e77aa", after.owner);
  } finally {
    await harness.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("hooks fail open: bad input is one stderr line and a non-blocking exit 1; LOKT_OWNER wins and writes no env file", async () => {
  const { dir } = await repo();
  const harness = new Harness(dir, { CLAUDE_ENV_FILE: `${dir}/env` });
  try {
    const bad = await harness.hook("claude", "not an event");
    assertEquals([bad.code, bad.stdout], [1, ""]);
    assertEquals(bad.stderr.trim().split("\n").length, 1);
    assertMatch(bad.stderr, /^lokt: .*not blocked/);
    const start = await harness.hook(
      "codex",
      payload("codex_session_start.json", { SESSION: "c1", CWD: dir }),
      {
        LOKT_OWNER: "agent-7",
      },
    );
    assertMatch(
      JSON.parse(start.stdout).hookSpecificOutput.additionalContext,
      /you act as agent-7/,
    );
    let wrote = true;
    try {
      await Deno.stat(`${dir}/env`);
    } catch {
      wrote = false;
    }
    assertEquals(wrote, false);
  } finally {
    await harness.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the swarm story: A's edit reserves its file, B's edit of it is denied naming A, B's other edit allowed, A's SessionEnd frees it, B's retry allowed — and the audit tells it", async () => {
  const { dir, root } = await repo('{ "agents": { "reserve_on_edit": "30m" } }');
  const [a, b, c] = [new Harness(dir), new Harness(dir), new Harness(dir)];
  const edit = (h: Harness, session: string, file: string) =>
    h.hook("claude", payload("claude_pre_edit.json", { SESSION: session, CWD: dir, FILE: file }));
  try {
    for (const [h, s] of [[a, "aaaa1111"], [b, "bbbb2222"], [c, "cccc3333"]] as const) {
      assertEquals(
        (await h.hook("claude", payload("claude_session_start.json", { SESSION: s, CWD: dir })))
          .code,
        0,
      );
    }
    assertEquals((await edit(a, "aaaa1111", "src/app.ts")).stdout, "");
    const refused = denied(await edit(b, "bbbb2222", "src/app.ts"));
    assertEquals(refused.permissionDecision, "deny");
    assertMatch(refused.permissionDecisionReason, /by claude-aaaa1111 — editing \(claude Edit\)/);
    assertEquals((await edit(b, "bbbb2222", "src/other.ts")).stdout, "");
    // C sees both in its shell, as itself.
    const check = await c.shell("lokt check src/app.ts src/other.ts");
    assertEquals(check.code, 2);
    assertEquals(
      (await a.hook(
        "claude",
        payload("claude_session_end.json", { SESSION: "aaaa1111", CWD: dir }),
      )).code,
      0,
    );
    assertEquals((await edit(b, "bbbb2222", "src/app.ts")).stdout, "");
    const story = (await auditEvents(root))
      .filter((e) => ["reserve", "reserve-deny", "unreserve"].includes(e.event as string))
      .map((e) => `${e.event} ${e.name} ${e.owner}`);
    assertEquals(story, [
      "reserve src/app.ts claude-aaaa1111",
      "reserve-deny src/app.ts claude-bbbb2222",
      "reserve src/other.ts claude-bbbb2222",
      "unreserve src/app.ts claude-aaaa1111",
      "reserve src/app.ts claude-bbbb2222",
    ]);
  } finally {
    for (const h of [a, b, c]) await h.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("lokt prime lists identity, live locks, waiters, reservations, freezes and the conventions (text and --json)", async () => {
  const { dir } = await repo();
  await lokt(["lock", "build", "--ttl", "10m"], { owner: "agent-2", cwd: dir });
  await lokt(["reserve", "src/app.ts", "--reason", "refactor"], { owner: "agent-2", cwd: dir });
  await lokt(["freeze", "deploy", "--ttl", "10m", "--reason", "incident"], {
    owner: "ops",
    cwd: dir,
  });
  const doc = JSON.parse((await lokt(["prime", "--json"], { owner: "agent-1", cwd: dir })).stdout);
  assertEquals(Object.keys(doc), [
    "ok",
    "command",
    "owner",
    "owner_source",
    "locks",
    "waiters",
    "reservations",
    "freezes",
    "conventions",
  ]);
  assertEquals([doc.owner, doc.locks[0].name, doc.locks[0].owners], ["agent-1", "build", [
    "agent-2",
  ]]);
  assertEquals([doc.reservations[0].pattern, doc.reservations[0].mine], ["src/app.ts", false]);
  assertEquals(doc.freezes[0].name, "deploy");
  const text = (await lokt(["prime"], { owner: "agent-1", cwd: dir })).stdout;
  assertMatch(text, /you act as agent-1/);
  assertMatch(text, /Reserved: src\/app\.ts by agent-2 \(refactor\)/);
  assertMatch(text, /Frozen \(wait, do not unfreeze\): deploy by ops \(incident\)/);
  assert(text.split("\n").length < 15, "short enough for every session start");
  await Deno.remove(dir, { recursive: true });
});
