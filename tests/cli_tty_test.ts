// Colour only on a terminal and never with NO_COLOR; status --watch streams and stops on Ctrl-C.
import { assert, assertEquals } from "./_assert.ts";
import { baseEnv, CLI, lineReader, lokt, reap, spawnLokt, tempDir } from "./_helpers.ts";

/** Runs the CLI under a pseudo-terminal with script(1). */
async function onTty(args: string[], env: Record<string, string>): Promise<string> {
  const command = [Deno.execPath(), "run", "-A", "--quiet", CLI, ...args].map((a) => `'${a}'`).join(
    " ",
  );
  const out = await new Deno.Command("script", {
    args: ["-qec", command, "/dev/null"],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

Deno.test("colour appears on a terminal, never with NO_COLOR, never when piped", async () => {
  const root = `${await tempDir()}/root`;
  await lokt(["lock", "c"], { root, owner: "a" });
  const env = baseEnv({ root, owner: "b" });
  delete env.NO_COLOR;
  const tty = await onTty(["status"], env);
  assert(tty.includes("\x1b["), `expected ANSI colour on a TTY: ${JSON.stringify(tty)}`);
  const noColor = await onTty(["status"], { ...env, NO_COLOR: "1" });
  assert(noColor.includes("NAME") && !noColor.includes("\x1b["), JSON.stringify(noColor));
  const piped = await lokt(["status"], { root, owner: "b", env: { NO_COLOR: "" } });
  assert(!piped.stdout.includes("\x1b["));
  const json = await onTty(["status", "--json"], env);
  assert(!json.includes("\x1b["));
  assertEquals(JSON.parse(json.trim()).locks.length, 1);
});

Deno.test("status --watch --json prints a document per change and exits 0 on SIGINT", async () => {
  const root = `${await tempDir()}/root`;
  const child = spawnLokt(["status", "--watch", "--json"], { root, owner: "w" });
  try {
    const lines = lineReader(child.stdout);
    const first = JSON.parse((await lines.next()) ?? "null");
    assertEquals(first.locks, []);
    await lokt(["lock", "watched"], { root, owner: "a" });
    const second = JSON.parse((await lines.next()) ?? "null");
    assertEquals(second.locks[0].name, "watched");
    child.kill("SIGINT");
    assertEquals((await child.status).code, 0);
  } finally {
    await reap(child);
  }
});

Deno.test("waiting shows a live status line on a terminal and nothing when not a terminal", async () => {
  const root = `${await tempDir()}/root`;
  await lokt(["lock", "busy", "--reason", "long build"], { root, owner: "holder" });
  const env = baseEnv({ root, owner: "waiter" });
  const tty = await onTty(["guard", "busy", "--timeout", "1500ms", "--", "true"], env);
  assert(/waiting for "busy" \d/.test(tty), JSON.stringify(tty));
  assert(tty.includes("held by holder"), JSON.stringify(tty));
  const piped = await lokt(["guard", "busy", "--timeout", "1s", "--", "true"], {
    root,
    owner: "waiter",
  });
  assertEquals(piped.code, 2);
  assert(!/waiting for "busy" \d/.test(piped.stderr), piped.stderr);
  assertEquals(piped.stderr.trim().split("\n").length, 1);
});
