// A shell command that uses lokt's break-glass (shell_breakglass.ts): lokt run
// with `--force`, however it is spelt or chained, is found; `--force` that is
// another program's, or lokt only mentioned, is not.
import { assertEquals } from "../../tests/_assert.ts";
import { breakGlassIn } from "./shell_breakglass.ts";

Deno.test("breakGlassIn() finds lokt run with --force, however it is spelt or chained", () => {
  const cases: [string, string][] = [
    ["lokt unlock build --force", "lokt unlock build --force"],
    ["lokt --force unlock build", "lokt --force unlock build"],
    [
      "lokt release --owner claude-1 --force --json",
      "lokt release --owner claude-1 --force --json",
    ],
    ["lokt unfreeze deploy --force", "lokt unfreeze deploy --force"],
    ["cd src && lokt unlock build --force", "lokt unlock build --force"],
    ["lokt status; lokt unlock build --force", "lokt unlock build --force"],
    [
      "LOKT_OWNER=x /usr/local/bin/lokt unlock b '--force'",
      "LOKT_OWNER=x /usr/local/bin/lokt unlock b '--force'",
    ],
    ['lokt unlock b --for"ce"', 'lokt unlock b --for"ce"'],
    ["lokt unlock b $'--force'", "lokt unlock b $'--force'"],
    [
      "deno run -A jsr:@lokt/cli/cli unlock b --force",
      "deno run -A jsr:@lokt/cli/cli unlock b --force",
    ],
    ["deno run -A ./cli.ts unlock b --force", "deno run -A ./cli.ts unlock b --force"],
    ["xargs lokt unlock --force < names", "xargs lokt unlock --force < names"],
    ["lokt guard x -- lokt unlock y --force", "lokt guard x -- lokt unlock y --force"],
    ["bash -lc 'lokt unlock b --force'", "bash -lc 'lokt unlock b --force'"],
  ];
  for (const [script, want] of cases) assertEquals(breakGlassIn(script), want, script);
});

Deno.test("breakGlassIn() leaves alone --force that is another program's, and lokt only mentioned", () => {
  for (
    const script of [
      "lokt unlock build",
      "lokt unlock build --break-stale",
      "lokt guard push -- git push --force",
      "lokt guard push --wait -- git push --force-with-lease",
      "git push --force && lokt unlock push",
      "echo 'lokt unlock x --force'",
      "grep -rn -- --force docs/lokt.md",
      "cat lokt.jsonc",
      "deno run -A other.ts --force",
      "node cli.ts --force",
      "",
    ]
  ) {
    assertEquals(breakGlassIn(script), null, script);
  }
});
