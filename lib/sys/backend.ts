/**
 * Which storage backend a call uses (docs/contract.md §17): the file store under the lokt
 * root, or a Redis server — `LOKT_BACKEND=redis://[user:pass@]host:port[/db]`
 * (or `rediss://`, or `"backend"` in `lokt.jsonc`), with a namespace shared by
 * every clone of one repository. Credentials are kept for connecting and
 * never appear in what is shown (`display`).
 *
 * @module
 */

import { UsageError } from "../model/errors.ts";
import { join } from "./path.ts";
import type { RootInfo } from "./root.ts";

/** A Redis backend, parsed. */
export interface RedisBackend {
  /** `redis`. */
  kind: "redis";
  /** Host. */
  host: string;
  /** Port. @default {6379} */
  port: number;
  /** `rediss://`. */
  tls: boolean;
  /** Database number. */
  db: number;
  /** ACL user, or `null`. */
  username: string | null;
  /** Password (from the URL or `LOKT_REDIS_PASSWORD`), or `null`: never shown. */
  password: string | null;
  /** A CA file for TLS (`LOKT_REDIS_CA`), or `null`. */
  caFile: string | null;
  /** The URL without credentials, for messages. */
  display: string;
}

/** The backend of a call. */
export type Backend = { kind: "file" } | RedisBackend;

/** Where a bad backend setting is explained: no command's `--help` is about it. */
const BACKEND_HINT =
  'LOKT_BACKEND (or "backend" in lokt.jsonc) is file, redis://[user:password@]host:port[/db] or rediss://…; the README\'s "Several machines" says more';

const backendError = (message: string) => new UsageError(message, null, BACKEND_HINT);

/**
 * Parses a backend setting.
 *
 * @param value `file`, or a `redis://` / `rediss://` URL; `undefined` or empty for the file store.
 * @param env The environment (`LOKT_REDIS_PASSWORD`, `LOKT_REDIS_CA`).
 * @returns The backend.
 * @throws {UsageError} On anything else (the message never repeats a password).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { parseBackend } from "./backend.ts";
 * const b = parseBackend("redis://agent:pw@127.0.0.1:6380/2", () => undefined);
 * assert(b.kind === "redis" && b.port === 6380 && b.db === 2 && !b.display.includes("pw"));
 * ```
 */
export function parseBackend(
  value: string | undefined,
  env: (key: string) => string | undefined = (key) => Deno.env.get(key),
): Backend {
  if (value === undefined || value === "" || value === "file") return { kind: "file" };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw backendError(`Invalid backend: not a URL`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") {
    throw backendError(`Invalid backend ${url.protocol}//…: not redis:// or rediss://`);
  }
  const db = url.pathname.replace(/^\//, "");
  if (db !== "" && !/^\d{1,2}$/.test(db)) {
    throw backendError(`Invalid backend database ${JSON.stringify(db)}: a number`);
  }
  const port = url.port === "" ? 6379 : Number(url.port);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (!host) throw backendError("Invalid backend: no host");
  const tls = url.protocol === "rediss:";
  return {
    kind: "redis",
    host,
    port,
    tls,
    db: db === "" ? 0 : Number(db),
    username: url.username ? decodeURIComponent(url.username) : null,
    password: url.password ? decodeURIComponent(url.password) : env("LOKT_REDIS_PASSWORD") || null,
    caFile: env("LOKT_REDIS_CA") || null,
    display: `${tls ? "rediss" : "redis"}://${host}:${port}/${db === "" ? 0 : Number(db)}`,
  };
}

/**
 * The namespace of a repository on a shared server: `LOKT_NAMESPACE`, else
 * the `origin` remote's URL read from git's config (normalised, so the ssh
 * and https forms of one repository agree), else `default`.
 *
 * @param info The resolved root (its git directory).
 * @param env The environment.
 * @returns The namespace.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { namespaceOf } from "./backend.ts";
 * const info = { root: "/r/.lokt", source: "dotlokt", repo: null, gitCommonDir: null } as const;
 * assert(namespaceOf(info, () => undefined) === "default");
 * ```
 */
export function namespaceOf(
  info: RootInfo,
  env: (key: string) => string | undefined = (key) => Deno.env.get(key),
): string {
  const set = env("LOKT_NAMESPACE");
  if (set) {
    if (!/^[A-Za-z0-9._\/:@-]{1,200}$/.test(set)) {
      throw new UsageError("Invalid LOKT_NAMESPACE: 1-200 of A-Za-z0-9 . _ / : @ -");
    }
    return set;
  }
  if (!info.gitCommonDir) return "default";
  let config: string;
  try {
    config = Deno.readTextFileSync(join(info.gitCommonDir, "config"));
  } catch {
    return "default";
  }
  const origin = /\[remote "origin"\]([^[]*)/.exec(config)?.[1];
  // Trimmed in code: a lazy `(.+?)\s*$` is quadratic on a long run of spaces.
  const url = origin ? /^[ \t]*url[ \t]*=(.*)$/m.exec(origin)?.[1]?.trim() : undefined;
  return url ? normalizeRemote(url) : "default";
}

/** Hosts whose repository paths are not case-sensitive (`Acme/App` is `acme/app`). */
const CASELESS_HOSTS = new Set(["github.com", "gitlab.com", "bitbucket.org", "codeberg.org"]);

/**
 * One form for the URLs of one repository: `host/path`, lower-case host
 * (and lower-case path on hosts that ignore its case: GitHub, GitLab,
 * Bitbucket, Codeberg), without user, port, scheme or a trailing `.git`.
 *
 * @param url A remote URL (`git@github.com:org/repo.git`, `https://github.com/org/repo`, …).
 * @returns The normal form.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { normalizeRemote } from "./backend.ts";
 * assert(normalizeRemote("git@GitHub.com:org/repo.git") === normalizeRemote("https://github.com/org/repo"));
 * assert(normalizeRemote("https://github.com/Acme/app.git") === normalizeRemote("git@github.com:acme/app"));
 * assert(normalizeRemote("https://git.example.com/Acme/app") === "git.example.com/Acme/app");
 * ```
 */
export function normalizeRemote(url: string): string {
  let rest = url.trim();
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.+)$/.exec(rest);
  if (scp && !/^[a-z+]+:\/\//i.test(rest)) {
    rest = `${scp[1]}/${scp[2]}`;
  } else {
    rest = rest.replace(/^[a-z+]+:\/\//i, "").replace(/^[^@/]+@/, "").replace(
      /^([^/:]+):\d+/,
      "$1",
    );
  }
  const slash = rest.indexOf("/");
  const host = (slash < 0 ? rest : rest.slice(0, slash)).toLowerCase().replace(/^www\./, "");
  const path = (slash < 0 ? "" : rest.slice(slash)).replace(/\.git\/?$/, "").replace(/\/+$/, "");
  // These hosts treat owner and repository names without case: one repository, one namespace.
  return `${host}${CASELESS_HOSTS.has(host) ? path.toLowerCase() : path}`;
}
