/**
 * The tools of lokt's MCP server (docs/contract.md §16): their JSON schemas, and the
 * command line each call runs — the CLI's own commands, so that a tool
 * returns exactly the document `--json` prints. Waits are bounded (at most
 * 30 s) because harnesses time tool calls out; holds and reservations are
 * tied to the server's process.
 *
 * @module
 */

import { UsageError } from "../../model/errors.ts";

/** The longest wait a tool may ask for, in seconds. */
export const MAX_WAIT_SECONDS = 30;

/** One tool as `tools/list` describes it. */
export interface ToolDescription {
  /** The tool's name. */
  name: string;
  /** What it does. */
  description: string;
  /** Its arguments, as a JSON schema. */
  inputSchema: { type: "object"; properties: Record<string, unknown>; required?: string[] };
}

const text = (description: string) => ({ type: "string", description });
const list = (description: string) => ({
  type: "array",
  items: { type: "string" },
  minItems: 1,
  maxItems: 64,
  description,
});
const wait = {
  type: "number",
  minimum: 0,
  maximum: MAX_WAIT_SECONDS,
  description: `wait up to this many seconds (at most ${MAX_WAIT_SECONDS}) while it is held`,
};

/** The tools. */
export const MCP_TOOLS: ToolDescription[] = [
  {
    name: "lokt_status",
    description: "Locks held (with holders and waiters), path reservations and freezes.",
    inputSchema: { type: "object", properties: { name: text("only this lock name") } },
  },
  {
    name: "lokt_why",
    description:
      "Whether a lock can be acquired now, every reason not, and the commands that clear each.",
    inputSchema: {
      type: "object",
      properties: { name: text("the lock name") },
      required: ["name"],
    },
  },
  {
    name: "lokt_lock",
    description:
      "Acquire a lock for this session (released when it ends). Refused with the holder named when another agent holds it.",
    inputSchema: {
      type: "object",
      properties: {
        name: text("the lock name"),
        reason: text("why you take it (shown to others)"),
        ttl: text("time to live, e.g. 20m (default: while this session lasts)"),
        wait_seconds: wait,
        slots: { type: "integer", minimum: 2, maximum: 64, description: "take one of N slots" },
        shared: { type: "boolean", description: "a reader's hold" },
      },
      required: ["name"],
    },
  },
  {
    name: "lokt_unlock",
    description: "Release a lock you hold.",
    inputSchema: {
      type: "object",
      properties: { name: text("the lock name") },
      required: ["name"],
    },
  },
  {
    name: "lokt_reserve",
    description:
      "Reserve paths (patterns relative to the repository's top) before editing them: all or none; refused listing the conflicting reservations.",
    inputSchema: {
      type: "object",
      properties: {
        patterns: list("paths or glob patterns (*, ?, **, [...])"),
        reason: text("what you are doing"),
        ttl: text("time to live, e.g. 1h (default 30m)"),
        shared: { type: "boolean", description: "read intent: conflicts only with exclusive ones" },
        wait_seconds: wait,
      },
      required: ["patterns"],
    },
  },
  {
    name: "lokt_release",
    description: "Release your reservations: the patterns given, or all of them.",
    inputSchema: {
      type: "object",
      properties: { patterns: list("patterns to release"), all: { type: "boolean" } },
    },
  },
  {
    name: "lokt_check",
    description:
      "Whether you may write these paths now (read-only): lists other agents' reservations in the way.",
    inputSchema: {
      type: "object",
      properties: { paths: list("literal paths"), shared: { type: "boolean" } },
      required: ["paths"],
    },
  },
  {
    name: "lokt_audit",
    description:
      "The audit trail: who acquired, waited, released, broke or reserved what, and when.",
    inputSchema: {
      type: "object",
      properties: {
        since: text("e.g. 1h, or an ISO time"),
        name: text("only this lock name"),
        event: text("comma-separated events, e.g. acquire,deny"),
        limit: {
          type: "integer",
          minimum: 1,
          maximum: 1000,
          description: "at most this many (default 100)",
        },
      },
    },
  },
];

/**
 * The command line a tool call runs.
 *
 * @param name The tool.
 * @param input Its arguments.
 * @param pid The server's process, which holds and reservations are tied to.
 * @returns The argv (without `--json`).
 * @throws {UsageError} For an unknown tool or a bad argument.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { toolArgv } from "./mcp_tools.ts";
 * assert(toolArgv("lokt_lock", { name: "build" }, 42).join(" ") === "lock build --pid 42 --ttl 0");
 * ```
 */
export function toolArgv(name: string, input: Record<string, unknown>, pid: number): string[] {
  const str = (key: string) => {
    const v = input[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw new UsageError(`${key} must be a string`);
    return v;
  };
  const strings = (key: string) => {
    const v = input[key];
    if (v === undefined) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) {
      throw new UsageError(`${key} must be a list of strings`);
    }
    return v as string[];
  };
  const opt = (
    flag: string,
    value: string | undefined,
  ) => (value === undefined ? [] : [`--${flag}`, value]);
  const on = (flag: string, key: string) => (input[key] === true ? [`--${flag}`] : []);
  const waitFor = () => {
    const s = input.wait_seconds;
    if (s === undefined) return [];
    if (typeof s !== "number" || !(s >= 0 && s <= MAX_WAIT_SECONDS)) {
      throw new UsageError(`wait_seconds must be a number from 0 to ${MAX_WAIT_SECONDS}`);
    }
    return s > 0 ? ["--timeout", `${Math.round(s * 1000)}ms`] : [];
  };
  const required = (key: string) => {
    const v = str(key);
    if (!v) throw new UsageError(`${key} is required`);
    return v;
  };
  switch (name) {
    case "lokt_status":
      return ["status", ...(str("name") ? [str("name") as string] : [])];
    case "lokt_why":
      return ["why", required("name")];
    case "lokt_lock": {
      const slots = input.slots === undefined ? [] : ["--slots", String(input.slots)];
      return [
        "lock",
        required("name"),
        "--pid",
        String(pid),
        "--ttl",
        str("ttl") ?? "0",
        ...opt("reason", str("reason")),
        ...slots,
        ...on("shared", "shared"),
        ...waitFor(),
      ];
    }
    case "lokt_unlock":
      return ["unlock", required("name")];
    case "lokt_reserve":
      return [
        "reserve",
        ...strings("patterns"),
        "--pid",
        String(pid),
        ...opt("ttl", str("ttl")),
        ...opt("reason", str("reason")),
        ...on("shared", "shared"),
        ...waitFor(),
      ];
    case "lokt_release":
      return ["release", ...(input.all === true ? ["--all"] : strings("patterns"))];
    case "lokt_check":
      return ["check", ...strings("paths"), ...on("shared", "shared")];
    case "lokt_audit":
      return [
        "audit",
        ...opt("since", str("since")),
        ...opt("name", str("name")),
        ...opt("event", str("event")),
        "--limit",
        String(typeof input.limit === "number" ? input.limit : 100),
      ];
    default:
      throw new UsageError(`unknown tool ${JSON.stringify(name)}`);
  }
}
