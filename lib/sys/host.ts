/**
 * Facts about this machine and user that identities are made of: the user
 * name, the host name and the machine id.
 *
 * @module
 */

import { identityValueProblem } from "../model/identity_value.ts";
import { granted } from "./permissions.ts";

/**
 * The Unix user name: `USER`/`LOGNAME`, else the name of this process's uid
 * in `/etc/passwd`, else `uid<N>`.
 *
 * @param env Reads one environment variable.
 * @returns The user name.
 *
 * @example Usage
 * ```ts
 * import { userName } from "./host.ts";
 * console.log(userName((key) => Deno.env.get(key)));
 * ```
 */
export function userName(env: (key: string) => string | undefined): string {
  const fromEnv = env("USER") || env("LOGNAME");
  if (fromEnv && identityValueProblem(fromEnv, "USER") === null) return fromEnv;
  const uid = readUid();
  if (uid === null) return "user";
  try {
    for (const line of Deno.readTextFileSync("/etc/passwd").split("\n")) {
      const fields = line.split(":");
      if (fields[2] === uid && fields[0]) return fields[0];
    }
  } catch {
    // No passwd file readable: fall back to the numeric uid.
  }
  return `uid${uid}`;
}

function readUid(): string | null {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    return status.match(/^Uid:\s+(\d+)/m)?.[1] ?? null;
  } catch {
    if (!granted({ name: "sys", kind: "uid" })) return null;
    try {
      return String(Deno.uid() ?? "");
    } catch {
      return null;
    }
  }
}

/**
 * The host name, from `/proc`, from Deno (`--allow-sys=hostname`), or `/etc/hostname`.
 *
 * @returns The host name (`localhost` when nothing tells).
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { hostName } from "./host.ts";
 * assert(hostName().length > 0);
 * ```
 */
export function hostName(): string {
  try {
    const name = Deno.readTextFileSync("/proc/sys/kernel/hostname").trim();
    if (name) return name;
  } catch {
    // Not Linux, or /proc not granted: ask Deno (--allow-sys=hostname).
  }
  if (granted({ name: "sys", kind: "hostname" })) {
    try {
      return Deno.hostname();
    } catch {
      // Not available on this platform.
    }
  }
  try {
    return Deno.readTextFileSync("/etc/hostname").trim() || "localhost";
  } catch {
    return "localhost";
  }
}

/**
 * The machine id plus the PID namespace: PIDs are comparable only between
 * processes with equal ids (two containers on one host differ) [W14].
 *
 * @returns The id.
 *
 * @example Usage
 * ```ts
 * import assert from "node:assert";
 * import { machineId } from "./host.ts";
 * assert(machineId() === machineId());
 * ```
 */
export function machineId(): string {
  let id = "";
  for (const path of ["/etc/machine-id", "/proc/sys/kernel/random/boot_id"]) {
    try {
      id = Deno.readTextFileSync(path).trim();
      if (id) break;
    } catch {
      // Try the next source.
    }
  }
  if (!id) id = `host-${hostName()}`;
  try {
    // Two PID namespaces (containers) on one machine must not compare PIDs.
    const ns = Deno.readLinkSync("/proc/self/ns/pid").match(/\d+/)?.[0];
    if (ns) return `${id}:${ns}`;
  } catch {
    // No namespace information: the machine id alone.
  }
  return id;
}
