// The CLI runs from gen/*.js (see cli.ts): they must be what lib/ builds now.
import { assertEquals } from "./_assert.ts";

Deno.test("gen/ bundles are up to date with lib/ (else run 'deno task bundle')", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-run", ".ci/bundle.ts", "--check"],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assertEquals(out.code, 0, new TextDecoder().decode(out.stderr));
});
