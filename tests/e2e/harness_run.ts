/**
 * Runs one end-to-end scenario with a real harness, inside the offline
 * namespace (`_offline.ts` starts it there), and prints a JSON report of what
 * happened for the test to judge: `deno run -A harness_run.ts <scenario>
 * <claude|codex> <harness bin dir>`.
 *
 * Scenarios:
 * - `session`: one session, while another owner reserved `src/taken.ts`:
 *   `whoami` in its shell, a write of the reserved file (denied), of lokt's
 *   reservations index (denied), of a free file (allowed, lokt silent), a lock, a reservation and a `guard` from its
 *   shell, an edit of the file it reserved (allowed); with Codex, its shell
 *   running apply_patch on the reserved file (denied) and on a new one
 *   (allowed); an MCP filesystem server's write_file of the reserved file
 *   (denied); a lock through lokt's MCP server, then the session ends.
 * - `reserve`: two concurrent sessions with `reserve_on_edit`: A writes
 *   `src/shared.ts`, then B tries to, while A's session lasts.
 * - `subagent` (Claude Code): with `reserve_on_edit` the session edits a
 *   file, then a subagent it starts edits the same file.
 * - `forms` (Codex): its shell runs `apply_patch` in many forms (heredocs
 *   quoted or not, `cd` first, a `workdir`, a quoted argument, other
 *   commands around it), each adding a file of its own; then, for every form
 *   that Codex applied, lokt's hook is asked about the same call with the
 *   file it wrote reserved by another owner.
 * - `crash`: the session's shell takes a lock and a reservation, then the
 *   harness is killed (SIGKILL, no SessionEnd); another owner is refused
 *   before and takes both over at once after.
 *
 * @module
 */

import { assertOffline } from "./_offline.ts";
import type { Script, Step } from "./_model_server.ts";
import { startModelServer } from "./_model_server.ts";
import type { SessionRun, Workspace } from "./_agents.ts";
import { hookTimings, makeWorkspace, runClaude, runCodex, sh } from "./_agents.ts";

assertOffline();

const [scenario, harness, harnessBin] = Deno.args as [string, "claude" | "codex", string];
const dir = await Deno.makeTempDir({ prefix: `lokt-e2e-${harness}-` });
const scripts = new Map<string, Script>();
const server = startModelServer((name) => scripts.get(name));
const run = (ws: Workspace, script: string) =>
  harness === "claude" ? runClaude(ws, script) : runCodex(ws, script);

/** lokt's reservations index, which no file tool may change. */
const RECORDS = ".git/lokt/reservations/_index.json";

/** A path as the harness's edit tool names it: Claude Code absolute, Codex relative. */
const target = (ws: Workspace, path: string) => harness === "claude" ? `${ws.repo}/${path}` : path;

/** An MCP call: Codex defers MCP tools, so its model searches for them first. */
const mcp = (tool: string, args: Record<string, unknown>, server = "lokt"): Step[] =>
  harness === "codex"
    ? [{ kind: "tool_search", query: `${server} ${tool}` }, { kind: "mcp", tool, args, server }]
    : [{ kind: "mcp", tool, args, server }];

const fixed = (steps: Step[]): Script => (step) => steps[step] ?? { kind: "text", text: "done" };

/** Waits (bounded) in the agent's shell for a marker file another session writes. */
const awaitMarker = (name: string) =>
  `for i in $(seq 600); do [ -f .e2e/${name} ] && exit 0; sleep 0.1; done; exit 1`;

async function state(ws: Workspace) {
  return {
    status: JSON.parse(await sh(ws, "lokt status --json", "e2e-observer")),
    audit: (await sh(ws, "lokt audit --json", "e2e-observer")).split("\n").filter((l) => l)
      .map((l) => JSON.parse(l)),
  };
}

function requestsOf(script: string) {
  return server.requests.filter((r) => r.script === script);
}

function summary(session: SessionRun) {
  return {
    code: session.code,
    stderrTail: session.stderr.slice(-2000),
    events: session.events,
    hookTimings: Object.fromEntries(hookTimings(session.debug)),
  };
}

/**
 * Codex's shell (its calls reach lokt's hook): apply_patch on the reserved file from `src`
 * (denied), on a new file (applied), an `rm` of lokt's reservations index (denied), and a
 * break-glass release of the other owner's reservation (denied).
 */
const shellPatches: Step[] = [
  { kind: "shell", command: `rm -f ${RECORDS}` },
  // Break-glass from the agent's shell: a person's step, denied (the reservation stays).
  { kind: "shell", command: "lokt release --owner other --force" },
  {
    kind: "shell",
    command:
      "cd src && apply_patch <<'EOF'\n*** Begin Patch\n*** Update File: taken.ts\n@@\n-x\n+patched through the shell\n*** End Patch\nEOF",
  },
  {
    kind: "shell",
    command:
      "apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: src/shell-new.ts\n+added through the shell\n*** End Patch\nEOF",
  },
];

async function sessionScenario() {
  const ws = await makeWorkspace(dir, harnessBin, server.url);
  await sh(
    ws,
    "lokt reserve src/taken.ts --ttl 30m --reason 'e2e: held by another agent'",
    "other",
  );
  const name = `session-${harness}`;
  scripts.set(
    name,
    fixed([
      { kind: "shell", command: "lokt whoami --json && cat .git/lokt/sessions/*.json" },
      { kind: "write", path: target(ws, "src/taken.ts"), content: "overwritten by the agent" },
      // lokt's own records: an edit would wipe the other owner's reservation unseen.
      { kind: "write", path: target(ws, RECORDS), content: '{"forged": true}' },
      { kind: "write", path: target(ws, "src/free.ts"), content: "edited by the agent" },
      {
        kind: "shell",
        command:
          "lokt lock tag --ttl 30m >/dev/null && lokt reserve docs/notes.md --ttl 30m >/dev/null && lokt guard build -- lokt status build --json",
      },
      // The reservation its shell took never denies the session's own edit.
      { kind: "write", path: target(ws, "docs/notes.md"), content: "the session's own notes" },
      // Codex applies a patch given to its shell itself: judged like its patch tool.
      ...(harness === "codex" ? shellPatches : []),
      // An MCP server's write_file of the reserved file: judged like the harness's own edit.
      ...mcp("write_file", { path: "src/taken.ts", content: "written through MCP" }, "filesystem"),
      ...mcp("lokt_lock", { name: "mcp-lock", reason: "e2e" }),
      // A shell command that writes the reserved file by name: judged like an edit of it.
      { kind: "shell", command: "echo 'written through the shell' > src/taken.ts" },
      { kind: "shell", command: "lokt status --json" },
      { kind: "text", text: "done" },
    ]),
  );
  const session = await run(ws, name);
  const requests = requestsOf(name);
  return {
    session: summary(session),
    firstRequest: requests[0]?.body ?? "",
    results: requests.at(-1)?.results ?? [],
    files: {
      taken: await Deno.readTextFile(`${ws.repo}/src/taken.ts`),
      free: await Deno.readTextFile(`${ws.repo}/src/free.ts`),
      notes: await Deno.readTextFile(`${ws.repo}/docs/notes.md`).catch(() => null),
      shellNew: await Deno.readTextFile(`${ws.repo}/src/shell-new.ts`).catch(() => null),
      records: await Deno.readTextFile(`${ws.repo}/${RECORDS}`),
    },
    after: await state(ws),
  };
}

async function reserveScenario() {
  const ws = await makeWorkspace(
    dir,
    harnessBin,
    server.url,
    '{ "agents": { "reserve_on_edit": "10m" } }\n',
  );
  const a = `reserveA-${harness}`;
  const b = `reserveB-${harness}`;
  scripts.set(
    a,
    fixed([
      { kind: "write", path: target(ws, "src/shared.ts"), content: "written by A" },
      { kind: "shell", command: `touch .e2e/a-wrote && ${awaitMarker("b-done")}` },
      { kind: "text", text: "done" },
    ]),
  );
  scripts.set(
    b,
    fixed([
      { kind: "shell", command: awaitMarker("a-wrote") },
      { kind: "write", path: target(ws, "src/shared.ts"), content: "written by B" },
      { kind: "shell", command: "touch .e2e/b-done" },
      { kind: "text", text: "done" },
    ]),
  );
  const [runA, runB] = await Promise.all([run(ws, a), run(ws, b)]);
  return {
    a: summary(runA),
    b: summary(runB),
    resultsB: requestsOf(b).at(-1)?.results ?? [],
    shared: await Deno.readTextFile(`${ws.repo}/src/shared.ts`),
    after: await state(ws),
  };
}

/** `lokt <args>` as another owner, and its exit code (no throw). */
async function codeOf(ws: Workspace, args: string): Promise<number> {
  const out = await sh(ws, `lokt ${args} >/dev/null 2>&1; echo "code=$?"`, "next");
  return Number(/code=(\d+)/.exec(out)?.[1]);
}

/** Kills what the killed harness left running in the repository (its shell's `sleep`). */
function killLeftovers(repo: string): void {
  for (const entry of Deno.readDirSync("/proc")) {
    const pid = Number(entry.name);
    if (!Number.isSafeInteger(pid) || pid === Deno.pid) continue;
    try {
      if (Deno.readLinkSync(`/proc/${pid}/cwd`).startsWith(repo)) Deno.kill(pid, "SIGKILL");
    } catch {
      // Gone, or not ours to read.
    }
  }
}

/**
 * A harness killed mid-session (SIGKILL: no SessionEnd) while the lock and the
 * reservation its shell took are held: another owner takes them over at once.
 */
async function crashScenario() {
  const ws = await makeWorkspace(dir, harnessBin, server.url);
  const name = `crash-${harness}`;
  scripts.set(
    name,
    fixed([
      {
        kind: "shell",
        command:
          "lokt lock tag --ttl 30m >/dev/null && lokt reserve docs --ttl 30m >/dev/null && touch .e2e/held && sleep 20",
      },
      { kind: "text", text: "done" },
    ]),
  );
  const session = run(ws, name);
  const held = `${ws.repo}/.e2e/held`;
  for (let i = 0; i < 600 && !(await Deno.stat(held).then(() => true, () => false)); i++) {
    await new Promise((r) => setTimeout(r, 100));
  }
  const sessions = [...Deno.readDirSync(`${ws.repo}/.git/lokt/sessions`)].map((e) =>
    JSON.parse(Deno.readTextFileSync(`${ws.repo}/.git/lokt/sessions/${e.name}`))
  );
  const harnessPid = sessions.find((e) => e.harness === harness)?.pid as number;
  const lockBefore = await codeOf(ws, "lock tag");
  const reserveBefore = await codeOf(ws, "reserve docs");
  Deno.kill(harnessPid, "SIGKILL");
  const ended = await session;
  const lockAfter = await codeOf(ws, "lock tag");
  const reserveAfter = await codeOf(ws, "reserve docs");
  killLeftovers(ws.repo);
  return {
    harnessCode: ended.code,
    registered: sessions.length,
    lockBefore,
    reserveBefore,
    lockAfter,
    reserveAfter,
    after: await state(ws),
  };
}

/**
 * Claude Code's subagents are their session: with `reserve_on_edit`, the
 * session edits a file (and so reserves it), then a subagent edits it too.
 */
async function subagentScenario() {
  const ws = await makeWorkspace(
    dir,
    harnessBin,
    server.url,
    '{ "agents": { "reserve_on_edit": "10m" } }\n',
  );
  scripts.set(
    "parent",
    fixed([
      { kind: "write", path: target(ws, "src/shared.ts"), content: "by the session" },
      {
        kind: "claude_tool",
        name: "Agent",
        input: { subagent_type: "general-purpose", description: "edit", prompt: "e2e-script:sub" },
      },
      { kind: "text", text: "done" },
    ]),
  );
  scripts.set(
    "sub",
    fixed([
      { kind: "write", path: target(ws, "src/shared.ts"), content: "by its subagent" },
      { kind: "shell", command: "lokt whoami --json" },
      { kind: "text", text: "done" },
    ]),
  );
  const session = await run(ws, "parent");
  return {
    session: summary(session),
    subResults: requestsOf("sub").at(-1)?.results ?? [],
    shared: await Deno.readTextFile(`${ws.repo}/src/shared.ts`),
    after: await state(ws),
  };
}

/** A shell call that may run `apply_patch` on a patch (which adds a file of its own). */
interface PatchForm {
  command: (patch: string) => string;
  workdir?: string;
}

const heredoc = (patch: string, open = "<<'EOF'", close = "EOF") => `${open}\n${patch}\n${close}`;

/**
 * The forms tried: some Codex applies itself; the others run in its shell (or
 * lokt refuses them in the session as a patch it cannot see).
 */
const PATCH_FORMS: PatchForm[] = [
  { command: (p) => `apply_patch ${heredoc(p)}` },
  { command: (p) => `apply_patch ${heredoc(p, "<<EOF")}` },
  { command: (p) => `apply_patch ${heredoc(p, '<<"EOF"')}` },
  { command: (p) => `apply_patch ${heredoc(p, "<<'PATCH'", "PATCH")}` },
  { command: (p) => `applypatch ${heredoc(p)}` },
  { command: (p) => `  apply_patch${heredoc(p)}` },
  { command: (p) => `apply_patch ${heredoc(p)}\n` },
  { command: (p) => `cd src && apply_patch ${heredoc(p)}` },
  { command: (p) => `cd 'src' && apply_patch ${heredoc(p)}` },
  { command: (p) => `cd "src/" && apply_patch ${heredoc(p)}` },
  { command: (p) => `cd ./src && apply_patch ${heredoc(p)}` },
  { command: (p) => `cd src; apply_patch ${heredoc(p)}` },
  { command: (p) => `cd src && cd .. && apply_patch ${heredoc(p)}` },
  { command: (p) => `(cd src && apply_patch ${heredoc(p)})` },
  { command: (p) => `apply_patch ${heredoc(p)}`, workdir: "src" },
  { command: (p) => `cd .. && apply_patch ${heredoc(p)}`, workdir: "src" },
  { command: (p) => `apply_patch '${p}'` },
  { command: (p) => `apply_patch "${p}"` },
  { command: (p) => `cd src && apply_patch '${p}'` },
  { command: (p) => `echo start && apply_patch ${heredoc(p)}` },
  { command: (p) => `apply_patch ${heredoc(p)} && echo done` },
  { command: (p) => `command apply_patch ${heredoc(p)}` },
  { command: (p) => `exec apply_patch ${heredoc(p)}` },
  { command: (p) => `bash -c "apply_patch ${heredoc(p).replaceAll('"', '\\"')}"` },
];

/**
 * Reserves `files` for another owner, then asks lokt's Codex hook about the
 * shell call that wrote them: its decision (`none` when it answers nothing).
 */
async function judgedReserved(
  ws: Workspace,
  files: string[],
  call: { command: string; workdir?: string },
): Promise<string> {
  await sh(
    ws,
    `lokt reserve ${files.map((f) => `:/${f}`).join(" ")} --ttl 30m >/dev/null`,
    "other",
  );
  const event = {
    session_id: "e2e-judge",
    cwd: call.workdir ? `${ws.repo}/${call.workdir}` : ws.repo,
    hook_event_name: "PreToolUse",
    tool_name: "Bash",
    tool_input: { command: call.command },
  };
  await Deno.writeTextFile(`${ws.repo}/.e2e/event.json`, JSON.stringify(event));
  const answer = await sh(ws, "lokt hook codex < .e2e/event.json");
  return answer ? JSON.parse(answer).hookSpecificOutput.permissionDecision : "none";
}

async function formsScenario() {
  const ws = await makeWorkspace(dir, harnessBin, server.url);
  const patch = (file: string) => `*** Begin Patch\n*** Add File: ${file}\n+x\n*** End Patch`;
  const calls = PATCH_FORMS.map((form, i) => ({
    command: form.command(patch(`form${i}.ts`)),
    workdir: form.workdir,
  }));
  scripts.set(
    "forms",
    fixed([
      ...calls.map((c): Step => ({ kind: "shell", command: c.command, workdir: c.workdir })),
      { kind: "text", text: "done" },
    ]),
  );
  const session = await run(ws, "forms");
  const written = (await sh(ws, "find . -name 'form*.ts' -not -path './.git/*'")).split("\n")
    .filter((l) => l).map((l) => l.slice(2));
  const forms = [];
  for (const [i, call] of calls.entries()) {
    const files = written.filter((f) => f.endsWith(`/form${i}.ts`) || f === `form${i}.ts`);
    const decision = files.length > 0 ? await judgedReserved(ws, files, call) : null;
    forms.push({ ...call, files, decision });
  }
  return { session: summary(session), forms };
}

/**
 * Shell commands that write files by name, each only files tagged `tN`
 * (`src/t2.txt`, …); `edit` ones change a file made before the session.
 */
const WRITE_FORMS: { command: string; workdir?: string; edits?: boolean }[] = [
  { command: "cat > src/t0.txt <<'EOF'\nhello\nEOF" },
  { command: "echo x > src/t1.txt" },
  { command: "printf 'x\\n' >> src/t2.txt", edits: true },
  { command: "cd src && echo x > t3.txt" },
  { command: "sed -i 's/m/x/' src/t4.txt", edits: true },
  { command: "rm src/t5.txt", edits: true },
  { command: "mv src/t6.txt src/t6-moved.txt", edits: true },
  { command: "cp src/free.ts src/t7.txt" },
  { command: "echo x | tee src/t8.txt" },
  { command: "touch src/t9.txt" },
  { command: "echo x > t10.txt", workdir: "src" },
  { command: "bash -c 'echo x > src/t11.txt'" },
  { command: "echo x 2>/dev/null >src/t12.txt && ls src > /dev/null" },
  // Writers judged as the directory they may write in.
  { command: "find src -name t13.txt -exec sed -i s/m/x/ {} +", edits: true },
  { command: "ls src/t14.txt | xargs sed -i 's/m/x/'", edits: true },
  { command: "tar -cf src/t15.tar src/free.ts" },
];

/** Every file of the worktree (not `.git` or `.e2e`) with its text. */
async function worktreeFiles(ws: Workspace): Promise<Map<string, string>> {
  const out = await sh(ws, "find . -type f -not -path './.git/*' -not -path './.e2e/*'");
  const files = new Map<string, string>();
  for (const line of out.split("\n").filter((l) => l)) {
    files.set(line.slice(2), await Deno.readTextFile(`${ws.repo}/${line.slice(2)}`));
  }
  return files;
}

async function writesScenario() {
  const ws = await makeWorkspace(dir, harnessBin, server.url);
  for (const [i, form] of WRITE_FORMS.entries()) {
    if (form.edits) await Deno.writeTextFile(`${ws.repo}/src/t${i}.txt`, "m\n");
  }
  scripts.set(
    "writes",
    fixed([
      ...WRITE_FORMS.map((f): Step => ({ kind: "shell", command: f.command, workdir: f.workdir })),
      { kind: "text", text: "done" },
    ]),
  );
  const before = await worktreeFiles(ws);
  const session = await run(ws, "writes");
  const after = await worktreeFiles(ws);
  const changed = [...new Set([...before.keys(), ...after.keys()])]
    .filter((f) => before.get(f) !== after.get(f));
  const writes = [];
  for (const [i, form] of WRITE_FORMS.entries()) {
    const files = changed.filter((f) => new RegExp(`(^|/)t${i}[.-]`).test(f));
    const decision = files.length > 0 ? await judgedReserved(ws, files, form) : null;
    writes.push({ command: form.command, files, decision });
  }
  return { session: summary(session), writes };
}

try {
  const report = scenario === "forms"
    ? await formsScenario()
    : scenario === "writes"
    ? await writesScenario()
    : scenario === "session"
    ? await sessionScenario()
    : scenario === "crash"
    ? await crashScenario()
    : scenario === "subagent"
    ? await subagentScenario()
    : await reserveScenario();
  console.log(JSON.stringify(report));
} finally {
  await server.close();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
