// Claude Code itself (the npm binary, pinned in _offline.ts) against a scripted model,
// offline in a private network namespace: its hooks, shell, edit tool and MCP
// client with lokt, end to end (docs/agents.md).
import {
  checkCrash,
  checkReserveOnEdit,
  checkSession,
  checkSubagent,
  REFUSED,
  scenario,
} from "./_checks.ts";

Deno.test({
  name:
    "Claude Code, real binary: SessionStart registers and primes; a reserved file's edit and an edit of lokt's own records are denied and the reasons reach the model; a free edit passes; guard, locks, reservations and MCP act as the session; SessionEnd gives everything back",
  ignore: REFUSED !== null,
  fn: async () => {
    checkSession("claude", await scenario("session", "claude"));
  },
});

Deno.test({
  name:
    "Claude Code, real binary: with reserve_on_edit, a second concurrent session's edit of the file the first one edited is denied",
  ignore: REFUSED !== null,
  fn: async () => {
    checkReserveOnEdit(await scenario("reserve", "claude"));
  },
});

Deno.test({
  name:
    "Claude Code, real binary: killed mid-session (SIGKILL, no SessionEnd), the lock and reservation its shell took are taken over at once by another owner",
  ignore: REFUSED !== null,
  fn: async () => {
    checkCrash(await scenario("crash", "claude"));
  },
});

Deno.test({
  name:
    "Claude Code, real binary: a subagent is its session — with reserve_on_edit, its edit of the file the session reserved passes, and its shell is the session's owner",
  ignore: REFUSED !== null,
  fn: async () => {
    checkSubagent(await scenario("subagent", "claude"));
  },
});
