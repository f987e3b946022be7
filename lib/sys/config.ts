/**
 * The optional `lokt.jsonc` at the repository root (docs/contract.md §11). No config file
 * is ever required. Read synchronously with lokt's own small JSONC reader, so
 * that every caller — the CLI's fast path included — applies the same policies
 * at almost no start-up cost.
 *
 * @module
 */

import { DEFAULT_LOCK_TTL_MS, DEFAULT_WAIT_TIMEOUT_MS } from "../model/defaults.ts";
import { parseDuration, parseTtl } from "../model/duration.ts";
import { ExitCode, LoktError } from "../model/errors.ts";
import { isSlotCount } from "../model/multi_hold_record.ts";
import { parseBackend } from "./backend.ts";
import { listedAbsent } from "./absence.ts";
import { isValidName } from "../model/name.ts";
import { stripJsonc } from "./jsonc.ts";
import type { RootInfo } from "./root.ts";
import { configPath } from "./root.ts";

/** Per-name policy. */
export interface NamePolicy {
  /** Default TTL for `lock` and `guard`, in ms. */
  ttlMs: number | null;
  /** Wait by default. */
  wait: boolean | null;
  /** Default wait timeout, in ms. */
  timeoutMs: number | null;
  /** The name is a semaphore of this many slots by default (docs/contract.md §14), or `null`. */
  slots: number | null;
  /** The name is taken shared (a reader) by default, or `null` when not set. */
  shared: boolean | null;
}

/** The effective configuration. */
export interface Config {
  /** The file read, or `null` when there is none. */
  path: string | null;
  /** Default TTL of `lock` (30 minutes unless configured). */
  defaultTtlMs: number;
  /** Default `--wait` timeout (10 minutes unless configured). */
  waitTimeoutMs: number;
  /** Per-name policies. */
  locks: Record<string, NamePolicy>;
  /** `agents.reserve_on_edit`: an allowed edit through a hook reserves its file for this long, or `null`. */
  reserveOnEditMs: number | null;
  /** `backend`: `file` or a `redis://` URL (docs/contract.md §17); `LOKT_BACKEND` wins. */
  backend: string | null;
}

/** The built-in defaults. */
export const DEFAULT_CONFIG: Config = {
  path: null,
  defaultTtlMs: DEFAULT_LOCK_TTL_MS,
  waitTimeoutMs: DEFAULT_WAIT_TIMEOUT_MS,
  locks: {},
  reserveOnEditMs: null,
  backend: null,
};

/**
 * Loads `lokt.jsonc` when it exists.
 *
 * @param info The resolved root.
 * @param cwd The current directory. @default {Deno.cwd()}
 * @returns The effective configuration.
 * @throws {LoktError} When the file is invalid, naming file, line and key.
 *
 * @example Usage
 * ```ts
 * import { loadConfig } from "./config.ts";
 * import { findRoot } from "./root.ts";
 * const config = loadConfig(findRoot());
 * console.log(config.path ?? "no lokt.jsonc", config.defaultTtlMs);
 * ```
 */
export function loadConfig(info: RootInfo, cwd: string = Deno.cwd()): Config {
  const path = configPath(info, cwd);
  // Most directories have none: their listing says so without a thrown NotFound.
  if (listedAbsent(path)) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return DEFAULT_CONFIG;
    throw new LoktError(
      `Cannot read ${path}: ${err instanceof Error ? err.message : err}`,
      ExitCode.Error,
      { cause: err },
    );
  }
  const stripped = stripJsonc(text);
  let value: unknown;
  try {
    value = JSON.parse(stripped);
  } catch {
    const line = lineOf(stripped, syntaxErrorAt(stripped));
    throw new LoktError(`Invalid config ${path}:${line}: not valid JSONC`);
  }
  return validate(value, text, path);
}

/**
 * Validates parsed config data.
 *
 * @param value The parsed JSON.
 * @param source The original text (to find line numbers).
 * @param path The file path, for messages.
 * @returns The effective configuration.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { validate } from "./config.ts";
 * const config = validate({ defaults: { ttl: "5m" } }, "", "lokt.jsonc");
 * assert(config.defaultTtlMs === 300_000);
 * ```
 */
export function validate(value: unknown, source: string, path: string): Config {
  const fail = (key: string, why: string): never => {
    const last = key.split(".").pop() as string;
    const index = source.indexOf(`"${last}"`);
    const line = index < 0 ? 1 : lineOf(source, index);
    throw new LoktError(`Invalid config ${path}:${line}: key "${key}" ${why}`);
  };
  if (!isObject(value)) return fail("(root)", "must be an object");
  const config: Config = { ...DEFAULT_CONFIG, path, locks: {} };
  for (const key of Object.keys(value)) {
    if (!["$schema", "defaults", "locks", "agents", "backend"].includes(key)) {
      fail(key, "is not a known setting");
    }
  }
  const defaults = value.defaults;
  if (defaults !== undefined) {
    if (!isObject(defaults)) fail("defaults", "must be an object");
    const d = defaults as Record<string, unknown>;
    for (const key of Object.keys(d)) {
      if (!["ttl", "timeout"].includes(key)) fail(`defaults.${key}`, "is not a known setting");
    }
    if (d.ttl !== undefined) config.defaultTtlMs = duration(d.ttl, "defaults.ttl", true, fail);
    if (d.timeout !== undefined) {
      config.waitTimeoutMs = duration(d.timeout, "defaults.timeout", false, fail);
    }
  }
  if (value.backend !== undefined) {
    if (typeof value.backend !== "string") fail("backend", "must be file or a redis:// URL");
    try {
      parseBackend(value.backend as string, () => undefined);
    } catch (err) {
      fail("backend", `is invalid: ${(err as Error).message}`);
    }
    config.backend = value.backend as string;
  }
  const agents = value.agents;
  if (agents !== undefined) {
    if (!isObject(agents)) fail("agents", "must be an object");
    const a = agents as Record<string, unknown>;
    for (const key of Object.keys(a)) {
      if (key !== "reserve_on_edit") fail(`agents.${key}`, "is not a known setting");
    }
    if (a.reserve_on_edit !== undefined) {
      config.reserveOnEditMs = duration(a.reserve_on_edit, "agents.reserve_on_edit", true, fail);
    }
  }
  const locks = value.locks;
  if (locks !== undefined) {
    if (!isObject(locks)) fail("locks", "must be an object");
    for (const [name, policy] of Object.entries(locks as Record<string, unknown>)) {
      const key = `locks.${name}`;
      if (!isValidName(name)) fail(key, "is not a valid lock name");
      if (!isObject(policy)) fail(key, "must be an object");
      const p = policy as Record<string, unknown>;
      for (const k of Object.keys(p)) {
        if (!["ttl", "wait", "timeout", "slots", "shared"].includes(k)) {
          fail(`${key}.${k}`, "is not a known setting");
        }
      }
      for (const flag of ["wait", "shared"]) {
        if (p[flag] !== undefined && typeof p[flag] !== "boolean") {
          fail(`${key}.${flag}`, "must be true or false");
        }
      }
      if (p.slots !== undefined && !isSlotCount(p.slots)) {
        fail(`${key}.slots`, "must be an integer from 2 to 64");
      }
      if (p.slots !== undefined && p.shared === true) {
        fail(`${key}.shared`, "cannot be combined with slots: a name is shared or a semaphore");
      }
      config.locks[name.toLowerCase()] = {
        ttlMs: p.ttl === undefined ? null : duration(p.ttl, `${key}.ttl`, true, fail),
        wait: p.wait === undefined ? null : p.wait as boolean,
        timeoutMs: p.timeout === undefined
          ? null
          : duration(p.timeout, `${key}.timeout`, false, fail),
        slots: p.slots === undefined ? null : p.slots as number,
        shared: p.shared === undefined ? null : p.shared as boolean,
      };
    }
  }
  return config;
}

function duration(
  value: unknown,
  key: string,
  isTtl: boolean,
  fail: (key: string, why: string) => never,
): number {
  if (typeof value !== "string") return fail(key, 'must be a duration string such as "10m"');
  try {
    return isTtl ? parseTtl(value, { flag: key }) : parseDuration(value, key);
  } catch (err) {
    return fail(key, `is invalid: ${err instanceof Error ? err.message : err}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text[i] === "\n") line++;
  return line;
}

/** The index where JSON text stops being valid (V8's messages do not say). */
function syntaxErrorAt(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\r\n".includes(text[i] as string)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i++] !== ":") fail();
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail();
      }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail();
      }
    } else if (c === '"') string();
    else {
      const m = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
      if (!m) fail();
      i += (m as RegExpExecArray)[0].length;
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail();
    i++;
  };
  try {
    value();
    ws();
    return i;
  } catch (at) {
    return typeof at === "number" ? at : 0;
  }
}
