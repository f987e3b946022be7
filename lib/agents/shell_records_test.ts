// A shell command that writes lokt's records by name (shell_records.ts): the
// root named by its place, one of its entries or a glob that may match one,
// in a writing position; reads, lokt's own commands and look-alike paths pass.
import { assertEquals } from "../../tests/_assert.ts";
import { recordsWritten } from "./shell_records.ts";

Deno.test("recordsWritten() finds a write of lokt's records by name, with the root it names", () => {
  const cases: [string, string, string][] = [
    ["rm -f .git/lokt/locks/build.json", ".git/lokt/locks/build.json", ".git/lokt"],
    ["rm -rf .git/lokt", ".git/lokt", ".git/lokt"],
    ["rm -rf .git/lokt/", ".git/lokt/", ".git/lokt"],
    ["rm -rf .git/lokt/*", ".git/lokt/*", ".git/lokt"],
    ["echo '{}' > .lokt/reservations/_index.json", ".lokt/reservations/_index.json", ".lokt"],
    ["echo x>>/repo/.git/lokt/audit.jsonl", "/repo/.git/lokt/audit.jsonl", "/repo/.git/lokt"],
    ["cat a.json > .git/lokt/locks/a.json", ".git/lokt/locks/a.json", ".git/lokt"],
    ["mv /tmp/a .git/lokt/locks/a.json", ".git/lokt/locks/a.json", ".git/lokt"],
    ["sed -i s/a/b/ '.git/lokt/locks/x.json'", ".git/lokt/locks/x.json", ".git/lokt"],
    ["cat x | tee .git/lokt/queue/b/t", ".git/lokt/queue/b/t", ".git/lokt"],
    ["find .git/lokt -delete", ".git/lokt", ".git/lokt"],
    ["truncate -s0 .git/lokt/audit.jsonl.1", ".git/lokt/audit.jsonl.1", ".git/lokt"],
    [
      "rm .git/modules/sub/lokt/locks/x.json",
      ".git/modules/sub/lokt/locks/x.json",
      ".git/modules/sub/lokt",
    ],
    ["rm -rf .git/lokt/{locks,queue}", ".git/lokt/{locks,queue}", ".git/lokt"],
  ];
  for (const [script, path, root] of cases) {
    assertEquals(recordsWritten(script), { path, root }, script);
  }
});

Deno.test("recordsWritten() leaves reads, lokt's own commands and look-alike paths alone", () => {
  for (
    const script of [
      "cat .git/lokt/audit.jsonl",
      "ls .git/lokt/locks",
      "jq . .git/lokt/locks/a.json",
      "grep owner .git/lokt/locks/*.json",
      "git log -- .git/lokt",
      "lokt unlock build",
      "LOKT_ROOT=.lokt lokt lock x",
      "vim src/lokt/x.ts",
      "rm -rf src/lokt",
      "rm .git/lokt/notes.md",
      "make",
    ]
  ) {
    assertEquals(recordsWritten(script), null, script);
  }
});
