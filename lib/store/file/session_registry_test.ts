// The session registry (docs/contract.md §4): the nearest registered ancestor wins, an
// entry whose process was replaced (another start marker) counts for nothing,
// a repeated registration writes nothing, and registering sweeps dead entries.
import { assert, assertEquals } from "../../../tests/_assert.ts";
import type { SessionEntry } from "./session_registry.ts";
import { lookupSession, registerSession, unregisterSession } from "./session_registry.ts";

const entry = (pid: number, start: string, owner: string): SessionEntry => ({
  harness: "claude",
  session_id: owner,
  owner,
  agent_id: `agent-${owner}`,
  pid,
  pid_start: start,
  registered_at: "2026-11-30T00:00:00.000Z",
});

Deno.test("lookupSession(): the nearest registered ancestor with its start marker wins", () => {
  const root = Deno.makeTempDirSync();
  const self = Deno.readTextFileSync(`/proc/${Deno.pid}/stat`).split(") ")[1]!.split(" ")[19]!;
  registerSession(root, entry(Deno.pid, self, "outer"));
  const chain = [
    { pid: 999_999_991, startTime: "1", comm: "node" },
    { pid: Deno.pid, startTime: self, comm: "deno" },
  ];
  assertEquals(lookupSession(root, () => chain)?.owner, "outer");
  // A nearer ancestor registered later wins (its process is gone, but the
  // lookup compares the marker it is given).
  Deno.writeTextFileSync(
    `${root}/sessions/999999991.json`,
    JSON.stringify(entry(999_999_991, "1", "inner")),
  );
  assertEquals(lookupSession(root, () => chain)?.owner, "inner");
  // A PID reused by another process (another start marker) counts for nothing.
  assertEquals(lookupSession(root, () => [{ pid: Deno.pid, startTime: "0", comm: "deno" }]), null);
  // Registering sweeps the entries of dead processes, and a repeat writes nothing.
  const before = Deno.statSync(`${root}/sessions/${Deno.pid}.json`).mtime?.getTime();
  registerSession(root, entry(Deno.pid, self, "outer"));
  assertEquals(Deno.statSync(`${root}/sessions/${Deno.pid}.json`).mtime?.getTime(), before);
  registerSession(root, entry(Deno.pid, self, "renamed"));
  let swept = true;
  try {
    Deno.statSync(`${root}/sessions/999999991.json`);
    swept = false;
  } catch {
    // Gone.
  }
  assert(swept, "the dead session's entry was removed");
  assert(!unregisterSession(root, Deno.pid, "other-session"));
  assert(unregisterSession(root, Deno.pid, "renamed"));
  assertEquals(lookupSession(root, () => chain), null);
});
