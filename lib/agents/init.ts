/**
 * `lokt init`: sets up the integration of a repository, idempotently (docs/contract.md
 * §16) — lokt's hooks merged into Claude Code's and Codex's project
 * settings (every other key and hook kept, no duplicate on a re-run), a
 * chained git `pre-commit` hook (honouring `core.hooksPath`), and a primer
 * block between markers in `AGENTS.md` (and `CLAUDE.md` when present).
 * `remove` takes out exactly what lokt added. Changes are planned first, so
 * a dry run prints them and writes nothing.
 *
 * @module
 */

import { CHAINED, gitHookScript, HOOK_MARKER } from "./git_hook_script.ts";
import { LoktError } from "../model/errors.ts";
import { parseObject } from "../model/record_codec.ts";
import { CLAUDE_EVENTS, CODEX_EVENTS, isOurs, loktHookEvents } from "./hook_settings.ts";
import { restoredText } from "./init_originals.ts";
import { CONVENTIONS } from "./primer.ts";

/** What to set up. */
export interface InitOptions {
  /** Claude Code hooks. */
  claude: boolean;
  /** Codex hooks. */
  codex: boolean;
  /** The git pre-commit hook. */
  git: boolean;
  /** Take out what lokt added instead. */
  remove: boolean;
}

/** One planned change of a file. */
export interface FileChange {
  /** The file's absolute path. */
  path: string;
  /** The new content, or `null` to delete the file. */
  content: string | null;
  /** Make it executable (a git hook). */
  executable?: boolean;
  /** What the change does, in words. */
  summary: string;
  /** The text the file had, to keep for `--remove` (`init_originals.ts`). */
  original?: string;
  /** `--remove` put the original back: it need not be kept any more. */
  restored?: boolean;
}

/** The primer block's markers. */
export const PRIMER_BEGIN = "<!-- lokt:begin -->";
/** The end marker of the primer block. */
export const PRIMER_END = "<!-- lokt:end -->";

/**
 * The command that runs lokt from anywhere: `lokt` when it is on `PATH`,
 * else the absolute command of this installation.
 *
 * @param path The `PATH` value. @default {Deno.env.get("PATH")}
 * @returns The command and whether it is the portable one.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { loktCommand } from "./init.ts";
 * assert(loktCommand("").portable === false);
 * ```
 */
export function loktCommand(
  path: string = Deno.env.get("PATH") ?? "",
): { command: string; portable: boolean } {
  for (const dir of path.split(":").filter(Boolean)) {
    try {
      if (Deno.statSync(`${dir}/lokt`).isFile) return { command: "lokt", portable: true };
    } catch {
      // Not there.
    }
  }
  const exec = Deno.execPath();
  const main = new URL(Deno.mainModule).pathname;
  const quote = (s: string) => (/^[\w./@:+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'"'"'`)}'`);
  // A compiled lokt is its own executable; otherwise Deno runs the entry module.
  const command = exec.endsWith("/deno") ? `${quote(exec)} run -A ${quote(main)}` : quote(exec);
  return { command, portable: false };
}

/**
 * Plans the changes of `lokt init` (or `--remove`) for a worktree.
 *
 * @param top The worktree's top directory.
 * @param hooksDir The git hooks directory (`git rev-parse --git-path hooks`), or `null`.
 * @param options What to set up or remove.
 * @param lokt The command that runs lokt ({@linkcode loktCommand}).
 * @returns The changes; none when everything is already as it should be.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { planInit } from "./init.ts";
 * const top = Deno.makeTempDirSync();
 * const changes = planInit(top, null, { claude: true, codex: false, git: false, remove: false }, { command: "lokt", portable: true });
 * assert(changes.some((c) => c.path.endsWith(".claude/settings.json")));
 * ```
 */
export function planInit(
  top: string,
  hooksDir: string | null,
  options: InitOptions,
  lokt: { command: string; portable: boolean },
  originals: ReadonlyMap<string, string> = new Map(),
): FileChange[] {
  const changes: FileChange[] = [];
  const add = (change: FileChange | null) => change && changes.push(change);
  if (options.claude) {
    // A command every teammate can run goes in the shared settings; an
    // absolute one only in the uncommitted local settings.
    const file = `${top}/.claude/${lokt.portable ? "settings.json" : "settings.local.json"}`;
    add(
      settingsChange(file, `${lokt.command} hook claude`, CLAUDE_EVENTS, options.remove, originals),
    );
  }
  if (options.codex) {
    add(
      settingsChange(
        `${top}/.codex/hooks.json`,
        `${lokt.command} hook codex`,
        CODEX_EVENTS,
        options.remove,
        originals,
      ),
    );
  }
  if (options.git) {
    if (hooksDir === null) throw new LoktError("--git: not a git repository");
    changes.push(
      ...gitHookChanges(hooksDir, `${lokt.command} hook git pre-commit`, options.remove),
    );
  }
  for (const name of ["AGENTS.md", "CLAUDE.md"]) {
    const path = `${top}/${name}`;
    if (name === "CLAUDE.md" && read(path) === null) continue;
    add(primerChange(path, options.remove, originals.get(path)));
  }
  return changes;
}

type Json = Record<string, unknown>;

function settingsChange(
  path: string,
  command: string,
  events: Readonly<Record<string, string | null>>,
  remove: boolean,
  originals: ReadonlyMap<string, string>,
): FileChange | null {
  const text = read(path);
  // The text as it was before lokt's first hook went in: kept for --remove.
  const original = !remove && text !== null && (loktHookEvents(path) ?? []).length === 0
    ? text
    : undefined;
  const settings: Json = text === null ? {} : parseObject(text) ?? invalid(path);
  const before = JSON.stringify(settings);
  const hooks = (settings.hooks ?? {}) as Json;
  if (typeof hooks !== "object" || Array.isArray(hooks)) invalid(path);
  for (const [event, matcher] of Object.entries(events)) {
    const groups = Array.isArray(hooks[event]) ? hooks[event] as Json[] : [];
    // Every group keeps its other hooks; a group that held only lokt's goes.
    const others: Json[] = [];
    for (const group of groups) {
      const list = Array.isArray(group.hooks) ? group.hooks as Json[] : null;
      const rest = list?.filter((h) => !isOurs(h)) ?? null;
      if (list === null || rest?.length === list.length) others.push(group);
      else if (rest && rest.length > 0) others.push({ ...group, hooks: rest });
    }
    const mine = { ...(matcher ? { matcher } : {}), hooks: [{ type: "command", command }] };
    const next = remove ? others : [...others, mine];
    if (next.length > 0) hooks[event] = next;
    else delete hooks[event];
  }
  if (Object.keys(hooks).length > 0) settings.hooks = hooks;
  else delete settings.hooks;
  if (JSON.stringify(settings) === before) return null;
  const empty = Object.keys(settings).length === 0;
  const written = `${JSON.stringify(settings, null, 2)}\n`;
  const content = empty && remove
    ? null
    : remove
    ? restoredText(written, originals.get(path), true)
    : written;
  return {
    path,
    content,
    summary: remove
      ? "remove lokt's hooks"
      : `add lokt's hooks (${Object.keys(events).join(", ")})`,
    ...(original === undefined ? {} : { original }),
    ...(remove && originals.has(path) ? { restored: true } : {}),
  };
}

function gitHookChanges(dir: string, command: string, remove: boolean): FileChange[] {
  const path = `${dir}/pre-commit`;
  const current = read(path);
  const ours = current?.includes(HOOK_MARKER) ?? false;
  const chained = read(`${dir}/${CHAINED}`);
  if (remove) {
    if (!ours) return [];
    const restore: FileChange[] = chained === null
      ? []
      : [{ path: `${dir}/${CHAINED}`, content: null, summary: "unchain the earlier hook" }];
    return [
      {
        path,
        content: chained,
        executable: true,
        summary: chained === null
          ? "remove lokt's pre-commit hook"
          : "restore the earlier pre-commit hook",
      },
      ...restore,
    ];
  }
  const script = gitHookScript(command);
  if (current === script) return [];
  const changes: FileChange[] = [];
  if (current !== null && !ours) {
    // An existing hook keeps running, after lokt's.
    changes.push({
      path: `${dir}/${CHAINED}`,
      content: current,
      executable: true,
      summary: "keep the existing pre-commit hook, chained",
    });
  }
  changes.push({ path, content: script, executable: true, summary: "add lokt's pre-commit hook" });
  return changes;
}

function primerChange(path: string, remove: boolean, original?: string): FileChange | null {
  const text = read(path);
  const block = `${PRIMER_BEGIN}\n## Shared resources: lokt\n\n${
    CONVENTIONS.map((c) => `- ${c}`).join("\n")
  }\n- Edits of files another agent reserved are denied by the hooks; \`lokt prime\` shows what is held and reserved now.\n${PRIMER_END}\n`;
  const start = text?.indexOf(PRIMER_BEGIN) ?? -1;
  const end = text?.indexOf(PRIMER_END) ?? -1;
  const has = text !== null && start >= 0 && end > start;
  // Before the block lokt left one blank line; after it, the rest of the file.
  const after = has ? text.slice(end + PRIMER_END.length).replace(/^\n/, "") : "";
  const without = has
    ? after === "" ? text.slice(0, start).replace(/\n+$/, "\n") : text.slice(0, start) + after
    : text;
  if (remove) {
    if (!has) return null;
    const rest = (without ?? "").trim() === ""
      ? null
      : restoredText(without ?? "", original, false);
    const restored = original === undefined ? {} : { restored: true };
    return { path, content: rest, summary: "remove the lokt primer block", ...restored };
  }
  const next = has
    ? text.slice(0, start) + block + text.slice(end + PRIMER_END.length).replace(/^\n/, "")
    : text === null
    ? block
    : `${text.replace(/\n*$/, "\n\n")}${block}`;
  if (next === text) return null;
  return {
    path,
    content: next,
    summary: has ? "update the lokt primer block" : "add the lokt primer block",
    // The text as it was before lokt's block went in: kept for --remove.
    ...(has || text === null ? {} : { original: text }),
  };
}

/**
 * Writes planned changes.
 *
 * @param changes The changes.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { applyChanges } from "./init.ts";
 * const dir = Deno.makeTempDirSync();
 * applyChanges([{ path: `${dir}/x/AGENTS.md`, content: "hi\n", summary: "" }]);
 * assert(Deno.readTextFileSync(`${dir}/x/AGENTS.md`) === "hi\n");
 * ```
 */
export function applyChanges(changes: FileChange[]): void {
  for (const change of changes) {
    if (change.content === null) {
      try {
        Deno.removeSync(change.path);
      } catch (err) {
        if (!(err instanceof Deno.errors.NotFound)) throw err;
      }
      continue;
    }
    Deno.mkdirSync(change.path.slice(0, change.path.lastIndexOf("/")), { recursive: true });
    Deno.writeTextFileSync(change.path, change.content);
    if (change.executable) Deno.chmodSync(change.path, 0o755);
  }
}

function read(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

function invalid(path: string): never {
  throw new LoktError(`${path} is not a JSON object: fix it first, lokt changes nothing`);
}
