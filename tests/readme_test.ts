// Runs the README's 30-second quickstart as written, in a fresh git repository.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { CEILING, CLI, git, tempDir } from "./_helpers.ts";

async function quickstart(): Promise<string[]> {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const section = readme.split("<!-- quickstart")[1]?.split("<!-- /quickstart -->")[0] ?? "";
  const block = section.split("```sh\n")[1]?.split("```")[0] ?? "";
  return block.trim().split("\n");
}

Deno.test("the README quickstart runs as written and does what its comments say", async () => {
  const lines = await quickstart();
  assert(lines.length >= 6, "quickstart block not found");
  const dir = await tempDir();
  await git(dir, "init", "-q");
  const bin = `${dir}/bin`;
  await Deno.mkdir(bin);
  // `lokt` on PATH, as after `deno install`.
  await Deno.writeTextFile(
    `${bin}/lokt`,
    `#!/bin/sh\nexec "${Deno.execPath()}" run -A --quiet "${CLI}" "$@"\n`,
  );
  await Deno.chmod(`${bin}/lokt`, 0o755);
  const script = lines.map((line, i) => `${line.replace(/\s+#.*$/, "")}\necho "@@exit ${i} $?"`)
    .join("\n");
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) if (!k.startsWith("LOKT_")) env[k] = v;
  const out = await new Deno.Command("sh", {
    args: ["-c", script],
    cwd: dir,
    env: { ...env, PATH: `${bin}:${env.PATH}`, NO_COLOR: "1", LOKT_CEILING_DIRECTORIES: CEILING },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  // Split the output per quickstart line, and check each against its comment.
  const outputs: string[] = [];
  const codes: number[] = [];
  let current = "";
  for (const line of stdout.split("\n")) {
    const m = line.match(/^@@exit (\d+) (\d+)$/);
    if (m) {
      outputs[Number(m[1])] = current;
      codes[Number(m[1])] = Number(m[2]);
      current = "";
    } else current += `${line}\n`;
  }
  lines.forEach((line, i) => {
    const comment = line.split("#").slice(1).join("#");
    const expected = /exit (\d+)/.exec(comment)?.[1];
    assertEquals(codes[i], expected ? Number(expected) : 0, `line ${i + 1}: ${line}\n${stderr}`);
  });
  assertMatch(outputs[1] ?? "", /^acquired "build" \(fence 1, expires in 5m\)/);
  assertMatch(stderr, /lock "build" held by agent-1 .* run 'lokt why build'/);
  assertMatch(outputs[3] ?? "", /held by agent-1/);
  assertMatch(outputs[4] ?? "", /^released "build" \(fence 1\)/);
  assertEquals(outputs[5]?.trim(), "building");
  assertEquals(outputs[6]?.trim(), "no locks held");
  assertMatch(outputs[7] ?? "", /^TIME\s+EVENT\s+NAME\s+OWNER\s+HOST\s+DETAIL/);
  // As its comment says: the unlock's release, then the guard's acquire and release.
  const events = (outputs[7] ?? "").trim().split("\n").slice(1).map((l) => l.split(/\s+/)[1]);
  assertEquals(events, ["release", "acquire", "release"]);
  assert(/# the last 3 events, oldest first: release, acquire, release/.test(lines[7] ?? ""));
  assertEquals(await Array.fromAsync(Deno.readDir(`${dir}/.git/lokt/locks`)), []);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("the paste-ready block of docs/agents.md is sound raw markdown: no code span crosses a line", async () => {
  const text = await Deno.readTextFile(new URL("../docs/agents.md", import.meta.url));
  const start = text.indexOf("```markdown\n");
  const end = text.indexOf("\n```\n", start);
  assert(start >= 0 && end > start, "no paste-ready block");
  const block = text.slice(start + "```markdown\n".length, end);
  for (const line of block.split("\n")) {
    assertEquals((line.match(/`/g) ?? []).length % 2, 0, `a code span breaks on: ${line}`);
  }
  // It agrees with lokt's messages: exit 2 is a refusal, --force is not an agent's remedy.
  assert(block.includes("do NOT use `--force`"));
  assert(block.includes("--conflict-exit"));
  assert(block.includes("LOKT_OWNER"));
});

Deno.test("every picture the README shows exists and is published with the package", async () => {
  const readme = await Deno.readTextFile(new URL("../README.md", import.meta.url));
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  const excluded = (config.publish?.exclude ?? []) as string[];
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1] as string);
  assert(images.length >= 2, "the README shows pictures");
  for (const image of images) {
    await Deno.stat(new URL(`../${image}`, import.meta.url));
    // The folder excludes (`tests/`, `docs/images/`, …); the `**/…` ones name test files.
    const folders = excluded.filter((e) => !e.startsWith("**"));
    assert(!folders.some((e) => image.startsWith(e)), `${image} is not published`);
  }
});
