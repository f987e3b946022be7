// The pictures in README.md and docs/: a real multi-agent run — five agents
// (shell loops calling the real CLI) taking turns on `build` with guard,
// sharing two `test` slots, reserving files, being refused `deploy` while it
// is frozen, one of them killed while holding `tag` — with
// `lokt dashboard` photographed in headless Chromium during the run, and the
// run's `lokt audit --timeline` saved (SVG, and PNG as Chromium draws it).
//
//   deno task screenshots        (about 90 seconds; writes docs/images/)
import { launchChromium } from "../tests/_browser.ts";
import { CLI, lineReader, lokt, waitFor } from "../tests/_helpers.ts";

const out = new URL("../docs/images/", import.meta.url).pathname;
const dir = await Deno.makeTempDir({ prefix: "lokt-screenshots-" });
const root = `${dir}/root`;
await Deno.mkdir(root, { recursive: true });
const loktCommand = `${Deno.execPath()} run -A --quiet ${CLI}`;
const env = (owner: string) => ({ ...Deno.env.toObject(), LOKT_ROOT: root, LOKT_OWNER: owner });

function agent(owner: string, script: string): Deno.ChildProcess {
  return new Deno.Command("sh", {
    args: ["-c", script],
    env: { ...env(owner), LOKT: loktCommand },
    stdout: "null",
    stderr: "null",
  }).spawn();
}

/** Runs one lokt command as `owner` and returns what it printed. */
async function run(owner: string, ...args: string[]): Promise<string> {
  return (await lokt(args, { root, owner })).stdout;
}

const started = new Date().toISOString();
// Each agent: reserves its files, builds (one at a time, queued), runs the
// tests (two slots), tries deploy (refused while frozen or held), lets go.
const loop = (n: number, pause: string) => `
  i=0
  while [ $i -lt ${n} ]; do
    $LOKT reserve "src/$LOKT_OWNER/**" --ttl 1m --reason "editing" >/dev/null
    $LOKT guard build --wait --timeout 5m --reason "compile" -- sleep ${pause}
    $LOKT guard test --slots 2 --wait --timeout 5m --reason "unit tests" -- sleep 3
    $LOKT lock deploy --ttl 20s --reason "ship" >/dev/null && sleep 1 && $LOKT unlock deploy
    $LOKT release --all >/dev/null
    i=$((i + 1))
  done`;
const agents = [
  agent("claude-ann", loop(5, "1.5")),
  agent("claude-ben", loop(5, "2")),
  agent("codex-cat", loop(4, "2.5")),
  agent("codex-dan", loop(4, "1")),
];
// The fifth agent takes `tag` for its own process and is killed holding it;
// the next to ask for it finds it dead and breaks it.
const eve = agent("claude-eve", `$LOKT lock tag --pid $$ --reason "tagging" && exec sleep 600`);
await waitFor(async () => (await run("x", "status", "tag")).includes("claude-eve"), "eve");

const dashboard = new Deno.Command(Deno.execPath(), {
  args: ["run", "-A", "--quiet", CLI, "dashboard", "--port", "0"],
  env: env("viewer"),
  stdout: "piped",
  stderr: "null",
}).spawn();
const url = (await lineReader(dashboard.stdout).next())!;
const browser = await launchChromium();
try {
  await new Promise((r) => setTimeout(r, 12_000));
  await run("ops", "freeze", "deploy", "--ttl", "25s", "--reason", "release freeze");
  eve.kill("SIGKILL");
  await eve.status;
  await new Promise((r) => setTimeout(r, 6_000));
  await run("claude-ann", "lock", "tag", "--ttl", "30s", "--reason", "retag");
  const page = await browser.page();
  await page.viewport(1280, 800);
  await page.goto(url);
  await page.waitFor(`document.getElementById("live").textContent === "live"`, "the stream");
  await page.waitFor(`document.querySelectorAll("#timeline-svg g.row").length > 3`, "timeline");
  await page.waitFor(
    `[...document.querySelectorAll("#locks td")].some((td) => td.textContent.includes("slot"))`,
    "a slot held",
    60_000,
  );
  await page.evaluate(`document.querySelector('button[data-name="build"]')?.click()`);
  await page.waitFor(`document.querySelector("#detail h3")`, "the detail", 30_000);
  await Deno.copyFile(await page.screenshot("dashboard.png"), `${out}dashboard.png`);
  await page.viewport(400, 860);
  await page.waitFor(`window.innerWidth === 400`, "narrow");
  await Deno.copyFile(await page.screenshot("dashboard-narrow.png"), `${out}dashboard-narrow.png`);
  for (const a of agents) await a.status;
  await run("claude-ann", "unlock", "tag");
  const svg = await run("viewer", "audit", "--timeline", "--since", started);
  await Deno.writeTextFile(`${out}timeline.svg`, svg);
  await page.viewport(1200, 400);
  await page.goto(`file://${out}timeline.svg`);
  await Deno.copyFile(await page.screenshot("timeline.png"), `${out}timeline.png`);
  console.log(`wrote ${out}dashboard.png, dashboard-narrow.png, timeline.svg, timeline.png`);
} finally {
  await browser.close();
  dashboard.kill("SIGTERM");
  await dashboard.status;
  for (const a of agents) {
    try {
      a.kill("SIGKILL");
    } catch {
      // Done already.
    }
  }
  await Deno.remove(dir, { recursive: true });
}
