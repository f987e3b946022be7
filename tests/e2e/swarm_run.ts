/**
 * A swarm of real harness sessions on one repository, inside the offline
 * namespace: 4 Claude Code and 2 Codex agents at once, each running session
 * after session until the time is up. Each session's scripted model edits
 * files picked from a small shared set with the harness's own edit tool and
 * runs `lokt guard build --wait -- …` through its shell tool; the repository
 * has `reserve_on_edit`, so an edit reserves its file for the session until
 * SessionEnd. Prints a JSON report:
 *
 * - `violations`: writes of a file while another session held a reservation
 *   covering it (from a watcher of the files and the audit trail's reserve
 *   and unreserve events);
 * - `overlaps`: guarded sections that ran at the same time;
 * - `holdsLeft`: locks and reservations still held once every session ended;
 * - `hooks`: PreToolUse durations Claude Code logged for lokt's hook and for
 *   an empty `deno run` beside it (median, p95).
 *
 * `deno run -A swarm_run.ts <seconds> <harness bin dir> [<claude>,<codex>] [plain]`
 * (agents of each harness, 4,2 by default; `plain`: without `reserve_on_edit`).
 *
 * @module
 */

import { assertOffline } from "./_offline.ts";
import type { Script, Step } from "./_model_server.ts";
import { startModelServer } from "./_model_server.ts";
import type { SessionRun } from "./_agents.ts";
import { hookTimings, makeWorkspace, runClaude, runCodex, sh } from "./_agents.ts";
import { harnessSessionOwner } from "../../lib/model/identity_value.ts";

assertOffline();

const seconds = Number(Deno.args[0] ?? "60");
const harnessBin = Deno.args[1] as string;
// How many agents of each harness: 4 Claude Code and 2 Codex unless `<claude>,<codex>` is given.
const [claudes, codexes] = (Deno.args[2] ?? "4,2").split(",").map(Number) as [number, number];
const AGENTS = [
  ...Array<"claude">(claudes).fill("claude"),
  ...Array<"codex">(codexes).fill("codex"),
];
const FILES = ["src/s0.ts", "src/s1.ts", "src/s2.ts", "src/s3.ts", "src/s4.ts", "src/s5.ts"];
/** Edits (each followed by a guarded build) per session. */
const EDITS = 3;

const dir = await Deno.makeTempDir({ prefix: "lokt-swarm-" });
const scripts = new Map<string, Script>();
const server = startModelServer((name) => scripts.get(name));
// `plain` (a fourth argument): no reserve_on_edit, to time the hook's read-only path.
const plain = Deno.args[3] === "plain";
const ws = await makeWorkspace(
  dir,
  harnessBin,
  server.url,
  plain ? undefined : '{ "agents": { "reserve_on_edit": "10m" } }\n',
);
for (const f of FILES) await Deno.writeTextFile(`${ws.repo}/${f}`, "initial\n");
// The latency baseline: an empty `deno run` as a PreToolUse hook beside lokt's, started
// the same way (a `sh` script on PATH that execs Deno, as \`lokt\` is here).
const empty = new URL("../../bench/empty.ts", import.meta.url).pathname;
await Deno.writeTextFile(
  `${ws.bin}/empty-deno-run`,
  `#!/bin/sh\nexec ${Deno.execPath()} run --quiet ${empty} "$@"\n`,
);
await Deno.chmod(`${ws.bin}/empty-deno-run`, 0o755);
await Deno.writeTextFile(
  `${ws.repo}/.claude/settings.local.json`,
  JSON.stringify({
    hooks: {
      PreToolUse: [{
        matcher: "Write|Edit",
        hooks: [{ type: "command", command: "empty-deno-run" }],
      }],
    },
  }),
);

/** A small deterministic generator per session (its picks are reproducible from its name). */
function picker(seed: string): () => number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822519) >>> 0;
    h = (h + 0x6d2b79f5) >>> 0;
    return h / 2 ** 32;
  };
}

function sessionScript(name: string, harness: string): Script {
  const next = picker(name);
  const steps: Step[] = [];
  for (let i = 0; i < EDITS; i++) {
    const file = FILES[Math.floor(next() * FILES.length)] as string;
    steps.push({
      kind: "write",
      path: harness === "claude" ? `${ws.repo}/${file}` : file,
      content: `${name} edit ${i}`,
    });
    const tag = `${name}-${i}`;
    steps.push({
      kind: "shell",
      command:
        `lokt guard build --wait --timeout 100s -- sh -c 'echo "start $(date +%s%N) ${tag}" >> .e2e/build.log; sleep 0.2; echo "end $(date +%s%N) ${tag}" >> .e2e/build.log'`,
    });
  }
  steps.push({ kind: "text", text: "done" });
  return (step) => steps[step] ?? { kind: "text", text: "done" };
}

/** Every change of a shared file: which session's edit, when it was first seen. */
const writes: { file: string; script: string; seenAt: number; sinceMs: number }[] = [];
let watching = true;
const watcher = (async () => {
  const last = new Map<string, string>();
  let previous = Date.now();
  while (watching) {
    const now = Date.now();
    for (const f of FILES) {
      let text = "";
      try {
        text = await Deno.readTextFile(`${ws.repo}/${f}`);
      } catch {
        continue;
      }
      // A file caught mid-write (truncated, not yet written) is not an edit yet.
      if (!/^swarm-\S+ edit \d+\s*$/.test(text) && text !== "initial\n") continue;
      if (last.has(f) && last.get(f) !== text) {
        writes.push({
          file: f,
          script: text.split(" edit ")[0] as string,
          seenAt: now,
          sinceMs: previous,
        });
      }
      last.set(f, text);
    }
    previous = now;
    await new Promise((r) => setTimeout(r, 20));
  }
})();

/** The owner of a finished session, from its event stream. */
function ownerOf(harness: string, run: SessionRun): string | null {
  for (const e of run.events) {
    const id = (e.session_id ?? e.thread_id) as string | undefined;
    if (typeof id === "string") return harnessSessionOwner(harness, id);
  }
  return null;
}

const deadline = Date.now() + seconds * 1000;
const owners = new Map<string, string>();
const sessions: { harness: string; code: number; owner: string | null }[] = [];
const debugLogs: string[] = [];
await Promise.all(AGENTS.map(async (harness, agent) => {
  for (let n = 0; Date.now() < deadline; n++) {
    const name = `swarm-${agent}-${harness}-${n}`;
    scripts.set(name, sessionScript(name, harness));
    const run = harness === "claude"
      ? await runClaude(ws, name, { timeoutMs: 300_000 })
      : await runCodex(ws, name, { timeoutMs: 300_000 });
    const owner = ownerOf(harness, run);
    if (owner) owners.set(name, owner);
    sessions.push({ harness, code: run.code, owner });
    if (run.debug) debugLogs.push(run.debug);
  }
}));
watching = false;
await watcher;

// Reservations over time, from the audit trail.
const audit = (await sh(ws, "lokt audit --json", "e2e-observer")).split("\n").filter((l) => l)
  .map((l) =>
    JSON.parse(l) as {
      ts: string;
      event: string;
      name: string;
      owner: string;
      ttl_ms: number | null;
    }
  );
const held = (file: string, at: number) => {
  const live = new Map<string, number>();
  for (const e of audit) {
    const t = Date.parse(e.ts);
    if (t > at) break;
    if (e.name !== file) continue;
    if (e.event === "reserve") live.set(e.owner, t + (e.ttl_ms ?? 0));
    if (e.event === "unreserve" || e.event === "reserve-break") live.delete(e.owner);
  }
  return [...live].filter(([, until]) => until > at).map(([owner]) => owner);
};
const violations = writes.filter((w) => {
  const owner = owners.get(w.script);
  // Seen between two polls: held by another owner over that whole window.
  const before = held(w.file, w.sinceMs);
  const after = held(w.file, w.seenAt);
  return before.some((o) => o !== owner && after.includes(o));
});

// Guarded sections: none may start before the previous one ended.
const log = await Deno.readTextFile(`${ws.repo}/.e2e/build.log`).catch(() => "");
const sections = new Map<string, { start?: bigint; end?: bigint }>();
for (const line of log.split("\n").filter((l) => l)) {
  const [kind, ns, tag] = line.split(" ") as [string, string, string];
  const s = sections.get(tag) ?? {};
  if (kind === "start") s.start = BigInt(ns);
  else s.end = BigInt(ns);
  sections.set(tag, s);
}
const ordered = [...sections.values()].filter((s) => s.start !== undefined)
  .sort((a, b) => (a.start! < b.start! ? -1 : 1));
let overlaps = 0;
for (let i = 1; i < ordered.length; i++) {
  const prev = ordered[i - 1]!;
  // A section that never wrote its end (its session was cut off) is open until the next start.
  if (prev.end !== undefined && ordered[i]!.start! < prev.end) overlaps++;
}

const status = JSON.parse(await sh(ws, "lokt status --json", "e2e-observer"));
const timings = new Map<string, number[]>();
for (const debug of debugLogs) {
  for (const [command, list] of hookTimings(debug)) {
    timings.set(command, [...(timings.get(command) ?? []), ...list]);
  }
}
const stats = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null;
  return { count: sorted.length, median: at(0.5), p95: at(0.95) };
};
const lokt = stats([...timings].filter(([c]) => c.endsWith("hook claude")).flatMap(([, l]) => l));
const baseline = stats([...timings].filter(([c]) => c === "empty-deno-run").flatMap(([, l]) => l));

console.log(JSON.stringify({
  seconds,
  sessions: {
    claude: sessions.filter((s) => s.harness === "claude").length,
    codex: sessions.filter((s) => s.harness === "codex").length,
    failed: sessions.filter((s) => s.code !== 0).length,
  },
  writes: {
    claude: writes.filter((w) => w.script.includes("-claude-")).length,
    codex: writes.filter((w) => w.script.includes("-codex-")).length,
  },
  denied: audit.filter((e) => e.event === "reserve-deny").length,
  guardedSections: ordered.length,
  unfinishedSections: ordered.filter((s) => s.end === undefined).length,
  violations: violations.length,
  violationDetails: violations.slice(0, 10),
  overlaps,
  holdsLeft: status.locks.length + status.reservations.length,
  holdsLeftDetails: { locks: status.locks, reservations: status.reservations },
  hooks: { lokt, emptyDenoRun: baseline },
}));
await server.close();
await Deno.remove(dir, { recursive: true }).catch(() => {});
