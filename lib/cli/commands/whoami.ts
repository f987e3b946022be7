/**
 * `lokt whoami`: the identity lokt acts as, and where each part came from.
 *
 * @module
 */

import type { CommandSpec, ParsedArgs } from "../args.ts";
import { openContext } from "../../core/context.ts";
import type { CommandResult, Io } from "../output.ts";

/** The command's flags and help. */
export const spec: CommandSpec = {
  name: "whoami",
  summary: "show the owner, agent id, host, root and store lokt uses, and where each came from",
  usage: ["whoami [--json]"],
  flags: [],
  positionals: [],
  examples: ["lokt whoami", "LOKT_OWNER=agent-1 lokt whoami --json"],
};

/**
 * Runs `lokt whoami`.
 *
 * @param _args The parsed arguments.
 * @param _io The IO.
 * @returns The result.
 */
export function run(_args: ParsedArgs, _io: Io): Promise<CommandResult> {
  const ctx = openContext();
  const id = ctx.identity;
  const info = ctx.rootInfo;
  const rows: [string, string][] = [
    ["owner", `${id.owner}  (from ${id.ownerSource})`],
    ["agent", `${id.agentId}  (${id.agentSource})`],
    ["user", id.user],
    ["host", id.host],
    ["machine", id.machineId],
    ["pid", String(id.pid)],
    ["root", `${info.root}  (from ${rootSourceText(info.source)})`],
  ];
  // Where the locks live: the root on files, the server and namespace on Redis.
  const store = ctx.store.location;
  if (store !== info.root) rows.push(["state", `${store}  (${ctx.store.traits.label})`]);
  return Promise.resolve({
    exitCode: 0,
    json: {
      ok: true,
      command: "whoami",
      owner: id.owner,
      owner_kind: id.ownerKind,
      owner_source: id.ownerSource,
      agent_id: id.agentId,
      agent_source: id.agentSource,
      user: id.user,
      host: id.host,
      machine_id: id.machineId,
      pid: id.pid,
      root: info.root,
      root_source: info.source,
      repository: info.repo,
      backend: ctx.store.traits.label,
      store,
    },
    text: rows.map(([k, v]) => `${k.padEnd(8)} ${v}`).join("\n"),
  });
}

function rootSourceText(source: string): string {
  if (source === "env") return "LOKT_ROOT";
  if (source === "git") return "the git repository";
  if (source === "dotlokt") return "the nearest .lokt directory (not in a git repository)";
  return "the current directory (not in a git repository)";
}
