// Codex itself (the npm binary, pinned in _offline.ts) against a scripted model,
// offline in a private network namespace: its hooks, shell, edit tool and MCP
// client with lokt, end to end (docs/agents.md).
import {
  checkCrash,
  checkForms,
  checkReserveOnEdit,
  checkSession,
  checkWrites,
  REFUSED,
  scenario,
} from "./_checks.ts";

Deno.test({
  name:
    "Codex, real binary: SessionStart registers and primes; a reserved file's edit and an edit of lokt's own records are denied and the reasons reach the model; a free edit passes; guard, locks, reservations and MCP act as the session; SessionEnd gives everything back",
  ignore: REFUSED !== null,
  fn: async () => {
    checkSession("codex", await scenario("session", "codex"));
  },
});

Deno.test({
  name:
    "Codex, real binary: with reserve_on_edit, a second concurrent session's edit of the file the first one edited is denied",
  ignore: REFUSED !== null,
  fn: async () => {
    checkReserveOnEdit(await scenario("reserve", "codex"));
  },
});

Deno.test({
  name:
    "Codex, real binary: killed mid-session (SIGKILL, no SessionEnd), the lock and reservation its shell took, from inside its sandbox are taken over at once by another owner",
  ignore: REFUSED !== null,
  fn: async () => {
    checkCrash(await scenario("crash", "codex"));
  },
});

Deno.test({
  name:
    "Codex, real binary: every form of apply_patch its shell applies (heredocs quoted or not, after 'cd DIR &&', in a workdir, other commands around it) is denied by lokt's hook once the file it writes is reserved",
  ignore: REFUSED !== null,
  fn: async () => {
    checkForms(await scenario("forms", "codex"));
  },
});

Deno.test({
  name:
    "Codex, real binary: the files its shell writes by name (a redirection, a heredoc, cd, sed -i, rm, mv, cp, tee, touch, bash -c, a workdir) or as a directory (find -exec sed -i, xargs sed -i, tar -c) are each denied by lokt's hook once reserved by another owner",
  ignore: REFUSED !== null,
  fn: async () => {
    checkWrites(await scenario("writes", "codex"));
  },
});
