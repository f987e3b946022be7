// A shell command's apply_patch (shell_patch.ts): the forms Codex applies
// itself are read with their `cd` directory; a command that runs apply_patch
// on a patch lokt cannot read, or after a change of directory it cannot
// follow, is `unseen`; a command that only mentions the word is not an edit.
import { assertEquals } from "../../tests/_assert.ts";
import { shellPatch } from "./shell_patch.ts";

const P = "*** Begin Patch\n*** Update File: auth/login.ts\n@@\n-a\n+b\n*** End Patch";
const heredoc = (prefix: string, patch = P, quote = "'") =>
  `${prefix}apply_patch <<${quote}EOF${quote}\n${patch}\nEOF`;

function judged(script: string): string {
  const r = shellPatch(script);
  return r.kind === "patch" ? `patch ${r.paths.join(",")}` : r.kind;
}

Deno.test("shellPatch() reads the heredoc and direct forms Codex applies, with their cd directory", () => {
  const cases: [string, string][] = [
    [heredoc(""), "patch auth/login.ts"],
    [heredoc("", P, ""), "patch auth/login.ts"],
    [heredoc("", P, '"') + "\n", "patch auth/login.ts"],
    [`applypatch <<-'EOF'\n${P}\n\tEOF`, "patch auth/login.ts"],
    [heredoc("cd src && "), "patch src/auth/login.ts"],
    [heredoc("  cd src/  &&  "), "patch src/auth/login.ts"],
    [heredoc("cd 'my dir' && "), "patch my dir/auth/login.ts"],
    [heredoc('cd "src" && '), "patch src/auth/login.ts"],
    [heredoc("cd /abs/repo && "), "patch /abs/repo/auth/login.ts"],
    [heredoc("cd src && ", P.replace("auth/login.ts", "/abs/x.ts")), "patch /abs/x.ts"],
    [`apply_patch '${P}'`, "patch auth/login.ts"],
    [`apply_patch "${P}"`, "patch auth/login.ts"],
    // Not Codex's own forms, but no change of directory: the shell's cwd.
    [`bash -lc "${heredoc("")}"`, "patch auth/login.ts"],
    [`printf '%s' '${P}' | apply_patch`, "patch auth/login.ts"],
    [`${heredoc("")} && git diff`, "patch auth/login.ts"],
    // Trailing spaces after a header's path, however many, are not part of it.
    [
      heredoc("", P.replace("auth/login.ts", `auth/login.ts${" ".repeat(20_000)}`)),
      "patch auth/login.ts",
    ],
    // A header split by a `\`-newline, which a shell joins in an unquoted heredoc.
    [
      heredoc("", P.replace("auth/login.ts", "au\\\nth/login.ts"), ""),
      "patch au\\,auth/login.ts",
    ],
    // Every header anywhere is a target: a Move to as well as the file it moves.
    [
      heredoc("", P.replace("@@", "*** Move to: auth/new.ts\n@@")),
      "patch auth/login.ts,auth/new.ts",
    ],
  ];
  for (const [script, want] of cases) assertEquals(judged(script), want, script);
});

Deno.test("shellPatch() calls unseen a patch it cannot read or a directory it cannot follow", () => {
  const cases: [string, RegExp][] = [
    ["apply_patch < change.patch", /not in the command/],
    ["cat change.patch | apply_patch", /not in the command/],
    ['/usr/local/bin/apply_patch "$(cat p)"', /not in the command/],
    ["FOO=1 applypatch < p", /not in the command/],
    ["xargs -a list apply_patch", /not in the command/],
    ["grep x f; apply_patch < p", /not in the command/],
    ["grep x $(apply_patch < p)", /not in the command/],
    ["echo hi && apply_patch<p", /not in the command/],
    // `command NAME` runs NAME (only `command -v` looks it up).
    ["command apply_patch < p", /not in the command/],
    ["command -v apply_patch && apply_patch < p", /not in the command/],
    [`bash -c 'apply_patch < p'`, /not in the command/],
    [heredoc("cd ~/x && "), /changes directory/],
    [heredoc("cd $D && "), /changes directory/],
    [heredoc('cd "$D" && '), /changes directory/],
    [heredoc("cd a; "), /changes directory/],
    [heredoc("cd a && cd b && "), /changes directory/],
    [`bash -lc "${heredoc("cd src && ")}"`, /changes directory/],
    [`pushd src && ${heredoc("")}`, /changes directory/],
    [`${heredoc("")}\n${heredoc("cd sub && ")}`, /changes directory/],
    [heredoc("", P.replace("auth/login.ts", "$HOME/x.ts")), /expanded by the shell/],
    [heredoc("", P.replace("auth/login.ts", "`pwd`/x.ts")), /expanded by the shell/],
  ];
  for (const [script, why] of cases) {
    const r = shellPatch(script);
    assertEquals(r.kind, "unseen", script);
    if (r.kind === "unseen") assertEquals(why.test(r.why), true, `${script}: ${r.why}`);
  }
});

Deno.test("shellPatch() leaves alone a command that only mentions apply_patch or writes no patch", () => {
  for (
    const script of [
      "ls -la",
      "grep -rn apply_patch docs",
      "rg 'applypatch' src",
      "git grep apply_patch",
      "cat docs/apply_patch",
      "ls src/apply_patch.rs docs/apply_patch.md",
      "cargo test -p codex-apply-patch",
      "command -v apply_patch applypatch || echo none",
      "which apply_patch; whereis applypatch",
      'grep -n "*** Begin Patch" docs/x.md',
      "echo '*** Begin Patch\n*** End Patch'",
      "",
    ]
  ) {
    assertEquals(judged(script), "none", script);
  }
});
