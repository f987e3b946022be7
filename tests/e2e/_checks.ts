/**
 * Shared checks of the end-to-end reports (`harness_run.ts`): the same
 * promises hold for Claude Code and for Codex.
 *
 * @module
 */

import { assert, assertEquals, assertMatch } from "../_assert.ts";
import { harnessBin, offlineRefused, runOffline } from "./_offline.ts";

/** Why the e2e tests cannot run here, printed once, or `null`. */
export const REFUSED = await offlineRefused();
if (REFUSED) console.log(`e2e: skipped, ${REFUSED}`);

const RUNNER = new URL("./harness_run.ts", import.meta.url).pathname;

/** Runs a scenario with a real harness, offline, and returns its report. */
// deno-lint-ignore no-explicit-any
export async function scenario(name: string, harness: string): Promise<any> {
  const bin = await harnessBin();
  const run = await runOffline(RUNNER, [name, harness, bin]);
  assertEquals(run.code, 0, `${name} ${harness}: ${run.stderr.slice(-3000)}`);
  return JSON.parse(run.stdout);
}

/** What a shell command printed, from the tool result the model received. */
export function outputOf(result: string): string {
  const marker = result.indexOf("\nOutput:\n");
  return (marker >= 0 ? result.slice(marker + 9) : result).trim();
}

/** The JSON documents, one per line, that a shell command printed. */
// deno-lint-ignore no-explicit-any
export function documentsOf(result: string): any[] {
  return outputOf(result).split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
}

/**
 * Checks the `session` scenario's report.
 *
 * @param harness `claude` or `codex`.
 * @param report The report.
 * @returns The session's owner.
 */
// deno-lint-ignore no-explicit-any
export function checkSession(harness: string, report: any): string {
  assertEquals(report.session.code, 0, report.session.stderrTail);
  const [who, registered] = documentsOf(report.results[0]);
  const owner = who.owner as string;
  assertMatch(owner, new RegExp(`^${harness}-[0-9a-z]{12}$`));
  // SessionStart registered the session (its harness process, its owner) ...
  assertEquals([registered.harness, registered.owner], [harness, owner]);
  // ... and its primer reached the model in the very first request.
  assert(report.firstRequest.includes(`lokt: you act as ${owner}`), "the primer in request 1");
  // The reserved file: denied, the reason in the next request, the file untouched.
  assertMatch(report.results[1], /src\/taken\.ts is reserved by another agent: .* by other/);
  assert(!report.results[1].includes("--force"), report.results[1]);
  assertEquals(report.files.taken, "x\n");
  // lokt's own records: denied, the reason in the next request, the index untouched.
  assertMatch(report.results[2], /_index\.json is in lokt's own records \(.*\.git\/lokt\)/);
  assert(!report.files.records.includes("forged"), report.files.records);
  assertEquals(report.files.free.trim(), "edited by the agent");
  if (harness === "claude") {
    // Claude Code reports each hook's output: lokt printed nothing for the free edit (never "allow").
    const outputs = report.session.events
      .filter((e: Record<string, unknown>) =>
        e.subtype === "hook_response" && e.hook_event === "PreToolUse"
      )
      .map((e: { output: string }) => e.output);
    // Its shell calls reach the hook too: nothing printed for those that write no reserved file.
    const denied = outputs.filter((o: string) => o.includes('"permissionDecision":"deny"'));
    assertEquals(denied.length, 4, JSON.stringify(outputs));
    assertEquals(outputs.filter((o: string) => o === "").length, outputs.length - 4);
    assert(outputs.length >= 9, JSON.stringify(outputs));
  }
  // An MCP server's write_file of the reserved file: denied, the reason reaches the model.
  const mcpDenied = report.results.slice(5).find((r: string) =>
    r.includes("taken.ts is reserved") && !r.includes("apply_patch <<")
  );
  assertMatch(mcpDenied ?? "", /src\/taken\.ts is reserved by another agent/);
  // guard from the agent's shell runs as the session's owner.
  const guarded = documentsOf(report.results[4])[0];
  assertEquals([guarded.locks[0].name, guarded.locks[0].owner], ["build", owner]);
  // Its own reservation (taken from its shell) never denies its own edit.
  assertEquals(report.files.notes?.trim(), "the session's own notes");
  if (harness === "codex") {
    // Its shell's apply_patch: denied on the reserved file (from `cd src`), applied on a new one.
    const shellDenied = report.results.slice(5).find((r: string) => r.includes("apply_patch <<"));
    assertMatch(shellDenied ?? "", /blocked by PreToolUse hook: lokt: src\/taken\.ts is reserved/);
    assertEquals(report.files.shellNew?.trim(), "added through the shell");
    // Its shell's rm of lokt's reservations index: denied (the index is read below, intact).
    const rmDenied = report.results.slice(5).find((r: string) => r.includes("rm -f .git/lokt"));
    assertMatch(
      rmDenied ?? "",
      /blocked by PreToolUse hook: lokt: .*_index\.json is in lokt's own records/,
    );
    // Its shell's break-glass release of the other owner's reservation: denied (it stays, below).
    const forceDenied = report.results.slice(5).find((r: string) =>
      r.includes("lokt release --owner other")
    );
    assertMatch(forceDenied ?? "", /blocked by PreToolUse hook: lokt: .*a person's break-glass/);
  }
  // Its shell's write of the reserved file by name: denied, the reason reaches the model
  // (the file is untouched, above).
  // (the step before the last: Claude Code's result names the tool, not the command).
  assertMatch(report.results.at(-2) ?? "", /lokt: src\/taken\.ts is reserved by another agent/);
  // A lock through the harness's MCP client belongs to the session.
  const mcpResult = report.results.find((r: string) => r.includes('"command":"lock"'));
  assert(mcpResult, "the MCP lock's result");
  assertMatch(mcpResult, new RegExp(`"owner":"${owner}"`));
  const during = documentsOf(report.results.at(-1))[0];
  assertEquals(
    during.locks.map((l: { name: string; owner: string }) => `${l.name} ${l.owner}`).sort(),
    [`mcp-lock ${owner}`, `tag ${owner}`],
  );
  // The lock its shell took lives with the harness process — Codex's too, taken inside its
  // sandbox (which cannot see the Codex process, so it judges it "unknown", never dead).
  const tag = during.locks.find((l: { name: string }) => l.name === "tag");
  assertEquals(
    [tag.record.pid, tag.record.liveness, tag.liveness],
    [registered.pid, "process", harness === "claude" ? "alive" : "unknown"],
    JSON.stringify(tag),
  );
  // SessionEnd (and the MCP server's exit) gave everything back.
  assertEquals(report.after.status.locks, []);
  assertEquals(
    report.after.status.reservations.map((r: { owner: string }) => r.owner),
    ["other"],
  );
  const ended = report.after.audit
    .filter((e: { owner: string }) => e.owner === owner)
    .map((e: { event: string; name: string }) => `${e.event} ${e.name}`);
  for (const line of ["release tag", "release mcp-lock", "unreserve docs/notes.md"]) {
    assert(ended.includes(line), `${line} in ${JSON.stringify(ended)}`);
  }
  return owner;
}

/**
 * Checks the `reserve` scenario's report: with `reserve_on_edit`, A's edit
 * reserved the file, and B's edit of it was denied while A's session lasted.
 *
 * @param report The report.
 */
// deno-lint-ignore no-explicit-any
export function checkReserveOnEdit(report: any): void {
  assertEquals([report.a.code, report.b.code], [0, 0], report.b.stderrTail);
  assertEquals(report.shared.trim(), "written by A");
  const events = report.after.audit.map((
    e: { event: string; name: string; owner: string },
  ) => [e.event, e.name, e.owner]);
  const reserved = events.find(([e, n]: string[]) => e === "reserve" && n === "src/shared.ts");
  const denied = events.find(([e, n]: string[]) => e === "reserve-deny" && n === "src/shared.ts");
  assert(reserved && denied, JSON.stringify(events));
  assert(reserved[2] !== denied[2], "two sessions are two owners");
  assertMatch(
    report.resultsB[1],
    new RegExp(`src/shared\\.ts is reserved by another agent: .* by ${reserved[2]}`),
  );
  // Both sessions ended: nothing is left held.
  assertEquals([report.after.status.locks, report.after.status.reservations], [[], []]);
}

/**
 * Checks the `crash` scenario's report: the lock and reservation a session's
 * shell took were refused to another owner while the harness lived, and taken
 * over at once (a dead holder) once it was killed.
 *
 * @param report The report.
 */
// deno-lint-ignore no-explicit-any
export function checkCrash(report: any): void {
  assertEquals(report.registered, 1, "one registered session");
  assertEquals([report.lockBefore, report.reserveBefore], [2, 2], "held while the harness lives");
  assertEquals([report.lockAfter, report.reserveAfter], [0, 0], "taken over once it is killed");
  const events = report.after.audit.map((e: { event: string; name: string }) =>
    `${e.event} ${e.name}`
  );
  assert(events.includes("dead-break tag"), JSON.stringify(events));
}

/**
 * Checks the `subagent` scenario's report: a subagent's edit of the file its
 * session reserved passes (one session, one owner), and its shell is that owner.
 *
 * @param report The report.
 */
// deno-lint-ignore no-explicit-any
export function checkSubagent(report: any): void {
  assertEquals(report.session.code, 0, report.session.stderrTail);
  assertEquals(report.shared, "by its subagent");
  const owners = new Set(
    report.after.audit.map((e: { owner: string }) => e.owner).filter((o: string) =>
      o !== "e2e-observer"
    ),
  );
  assertEquals(owners.size, 1, JSON.stringify([...owners]));
  const [owner] = owners;
  assertEquals(documentsOf(report.subResults[1])[0].owner, owner);
  const events = report.after.audit.map((e: { event: string }) => e.event);
  assert(!events.includes("reserve-deny"), JSON.stringify(events));
  assertEquals(report.after.status.reservations, []);
}

/**
 * Checks the `forms` scenario's report: Codex applied the plain heredoc, its
 * `cd DIR &&` form and a `workdir` (so the check is not vacuous), and lokt's
 * hook denies every form Codex applied once the file it wrote is reserved.
 *
 * @param report The report.
 */
// deno-lint-ignore no-explicit-any
export function checkForms(report: any): void {
  assertEquals(report.session.code, 0, report.session.stderrTail);
  // deno-lint-ignore no-explicit-any
  const applied = report.forms.filter((f: any) => f.files.length > 0);
  // deno-lint-ignore no-explicit-any
  const wrote = new Set(applied.flatMap((f: any) => f.files));
  for (const file of ["form0.ts", "src/form7.ts", "src/form14.ts", "form15.ts"]) {
    assert(wrote.has(file), `Codex applied the form that writes ${file}: ${[...wrote]}`);
  }
  // deno-lint-ignore no-explicit-any
  const allowed = applied.filter((f: any) => f.decision !== "deny");
  assertEquals(allowed, [], "every form Codex applied is denied once its file is reserved");
}

/**
 * Codex's shell really wrote the files of every write form, and
 * with each form's files reserved by another owner, lokt's hook denies it.
 */
// deno-lint-ignore no-explicit-any
export function checkWrites(report: any): void {
  assertEquals(report.session.code, 0, report.session.stderrTail);
  // deno-lint-ignore no-explicit-any
  const applied = report.writes.filter((w: any) => w.files.length > 0);
  assertEquals(
    applied.length,
    report.writes.length,
    `Codex's shell wrote the files of every form: ${JSON.stringify(report.writes)}`,
  );
  // deno-lint-ignore no-explicit-any
  const allowed = applied.filter((w: any) => w.decision !== "deny");
  assertEquals(allowed, [], "every write Codex's shell made is denied once its files are reserved");
}
