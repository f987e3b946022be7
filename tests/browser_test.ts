// lokt dashboard and audit --timeline in a real headless Chromium (docs/contract.md §18),
// driven over the DevTools protocol: the page renders the held locks, slots,
// waiters, reservations and freezes; a lock taken after the page loaded
// appears without a reload; a lock's detail opens; the inline timeline and the
// standalone SVG render their rows; the page fits 1280x800 and a narrow
// window without sideways scrolling; a token given as ?token= authorises the
// page's event stream. Screenshots are saved as artifacts (tests/artifacts/).
import { assert, assertEquals } from "./_assert.ts";
import { type Browser, CHROMIUM_FLAGS, launchChromium, type Page } from "./_browser.ts";
import {
  freshRoot,
  git,
  lineReader,
  lokt,
  reap,
  type RunOptions,
  spawnLokt,
  tempDir,
  waitFor,
} from "./_helpers.ts";
import { startRedis } from "./_redis.ts";

async function serve(root: string | RunOptions, ...args: string[]) {
  const where = typeof root === "string" ? { root } : root;
  const child = spawnLokt(["dashboard", "--port", "0", ...args], { ...where, owner: "viewer" });
  const url = await lineReader(child.stdout).next();
  assert(url !== null && url.startsWith("http://127.0.0.1:"), String(url));
  return { child, url };
}

/** A tab at 1280x800 on the dashboard, once its event stream has delivered the state. */
async function livePage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.page();
  await page.viewport(1280, 800);
  await page.goto(url);
  await page.waitFor(`document.getElementById("live").textContent === "live"`, "the stream");
  return page;
}

/** The rendered locks table: one array of cell texts per row. */
function lockRows(page: Page): Promise<string[][]> {
  return page.evaluate(
    `[...document.querySelectorAll("#locks tr")].map((tr) => [...tr.cells].map((td) => td.textContent.trim()))`,
  );
}

/** The page is wider than its window (something would scroll sideways). */
function overflows(page: Page): Promise<boolean> {
  return page.evaluate(`document.documentElement.scrollWidth > window.innerWidth`);
}

Deno.test("dashboard in Chromium: held locks, slots, waiters, reservations, freezes; a new lock without reload; detail; 1280x800 and narrow", async () => {
  const { dir, root } = await freshRoot();
  const as = (owner: string) => ({ root, owner });
  await lokt(["lock", "build", "--ttl", "10m", "--reason", "compiling"], as("alice"));
  await lokt(["lock", "ci", "--slots", "2"], as("carol"));
  await lokt(["lock", "ci", "--slots", "2"], as("dave"));
  await lokt(["reserve", "src/auth/**", "--reason", "refactor"], as("carol"));
  await lokt(["freeze", "deploy", "--ttl", "5m", "--reason", "incident"], as("ops"));
  const waiter = spawnLokt(["lock", "build", "--wait", "--timeout", "60s"], as("bob"));
  await waitFor(
    async () => (await lokt(["status", "build", "--json"], as("x"))).stdout.includes('"bob"'),
    "bob to wait",
  );
  const { child, url } = await serve(root);
  const browser = await launchChromium();
  try {
    const page = await livePage(browser, url);
    await page.waitFor(`document.querySelectorAll("#timeline-svg g.row").length >= 3`, "timeline");
    const rows = await lockRows(page);
    const build = rows.find((r) => r[0] === "build")!;
    assertEquals([build[1], build[6]], ["alice", "bob"]);
    // Its age counts on between status documents (they come only on a change).
    await page.waitFor(
      `(() => { const td = [...document.querySelectorAll("#locks tr")].find((tr) => tr.cells[0].textContent === "build").cells[2];
        return td.textContent !== ${JSON.stringify(build[2])}; })()`,
      "the age to count on",
    );
    assertEquals(rows.filter((r) => /^ci|^$/.test(r[0]!)).map((r) => r[1]).sort(), [
      "carol (slot 0)",
      "dave (slot 1)",
    ]);
    const reserved: string[][] = await page.evaluate(
      `[...document.querySelectorAll("#reservations tr")].map((tr) => [...tr.cells].map((td) => td.textContent))`,
    );
    assertEquals(reserved.map((r) => r.slice(0, 4)), [[
      "src/auth/**",
      "carol",
      "exclusive",
      "refactor",
    ]]);
    assert(
      (await page.evaluate<string>(`document.getElementById("freezes").textContent`)).includes(
        "deploy frozen by ops (incident)",
      ),
    );
    // The inline timeline has a row per name and reserved pattern, drawn.
    const drawn: { name: string; width: number }[] = await page.evaluate(
      `[...document.querySelectorAll("#timeline-svg g.row")].map((g) => ({ name: g.dataset.name, width: g.getBBox().width }))`,
    );
    assertEquals(drawn.map((r) => r.name).sort(), ["build", "ci", "deploy", "src/auth/**"]);
    assert(drawn.every((r) => r.width > 100), JSON.stringify(drawn));
    await page.screenshot("dashboard-1280x800.png");

    // A lock taken now appears without a reload (the marker would be gone after one).
    await page.evaluate(`window.__sameDocument = true`);
    await lokt(["lock", "release-train", "--reason", "v2"], as("eve"));
    await page.waitFor(
      `[...document.querySelectorAll("#locks td")].some((td) => td.textContent === "release-train")`,
      "the new lock on the page",
    );
    assertEquals(await page.evaluate(`window.__sameDocument`), true);
    const eve = (await lockRows(page)).find((r) => r[0] === "release-train")!;
    assertEquals(eve[1], "eve");
    // ... and its acquire is among the latest events.
    await page.waitFor(
      `document.getElementById("events").textContent.includes("release-train")`,
      "the latest events",
    );

    // A lock's detail: its why and holders.
    await page.evaluate(`document.querySelector('button[data-name="build"]').click()`);
    const detail = await page.waitFor<string>(
      `document.querySelector("#detail h3") && document.getElementById("detail").textContent`,
      "the detail",
    );
    assert(detail.includes("build") && detail.includes('"owner": "alice"'), detail);
    // The open detail follows the lock: alice lets go, the waiting bob gets it.
    await lokt(["unlock", "build"], as("alice"));
    await page.waitFor(
      `document.getElementById("detail").textContent.includes('"owner": "bob"')`,
      "the detail to follow the new holder",
    );
    assertEquals(await overflows(page), false);
    await page.screenshot("dashboard-detail-1280x800.png");

    // A narrow window: the page does not scroll sideways; rows become labelled
    // cards; the timeline keeps a legible size and scrolls inside its own box.
    await page.viewport(400, 860);
    await page.waitFor(`window.innerWidth === 400`, "the narrow window");
    assertEquals(await overflows(page), false);
    const narrow: Record<string, unknown> = await page.evaluate(`({
      label: getComputedStyle(document.querySelector("#locks td[data-label=Holder]"), "::before").content,
      headHidden: document.querySelector("#locks").closest("table").tHead.getBoundingClientRect().width <= 1,
      timelineScrolls: (() => { const box = document.getElementById("timeline-svg"); return box.scrollWidth > box.clientWidth; })(),
    })`);
    assertEquals(narrow, { label: '"Holder: "', headHidden: true, timelineScrolls: true });
    await page.screenshot("dashboard-narrow-400.png");
    // The last 10 minutes, chosen by its button, which says it is pressed.
    await page.evaluate(`document.querySelector('button[data-since="10m"]').click()`);
    await page.waitFor(
      `document.querySelector('button[data-since="10m"]').getAttribute("aria-pressed") === "true" &&
       document.getElementById("timeline-svg").textContent.includes("UTC, 10m shown")`,
      "the 10-minute timeline",
    );

    // Landmarks and names for assistive technology; text beside every colour.
    const a11y: Record<string, unknown> = await page.evaluate(`({
      lang: document.documentElement.lang,
      main: document.querySelectorAll("main").length,
      unnamedButtons: [...document.querySelectorAll("button")].filter((b) => !b.textContent.trim()).length,
      headersWithoutScope: document.querySelectorAll("th:not([scope])").length,
      status: document.querySelectorAll("[role=status]").length,
      svgLabel: document.querySelector("#timeline-svg svg").getAttribute("aria-labelledby"),
      untitledShapes: document.querySelectorAll("#timeline-svg rect.hold:not(:has(title)), #timeline-svg .mark:not(:has(title))").length,
    })`);
    assertEquals(a11y, {
      lang: "en",
      main: 1,
      unnamedButtons: 0,
      headersWithoutScope: 0,
      status: 1,
      svgLabel: "lokt-title",
      untitledShapes: 0,
    });
  } finally {
    await browser.close();
    await reap(child, "SIGTERM");
    await reap(waiter);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dashboard in Chromium: ?token= lets the page and its event stream in", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["lock", "build"], { root, owner: "alice" });
  const { child, url } = await serve(root, "--token", "browser-token-1");
  const browser = await launchChromium();
  try {
    const page = await browser.page();
    await page.goto(new URL("/api/status", url).href);
    assert(
      (await page.evaluate<string>(`document.body.textContent`)).includes("token is required"),
    );
    await page.goto(url);
    await page.waitFor(`document.getElementById("live").textContent === "live"`, "the stream");
    assertEquals((await lockRows(page))[0]?.slice(0, 2), ["build", "alice"]);
    await lokt(["lock", "deploy"], { root, owner: "bob" });
    await page.waitFor(
      `[...document.querySelectorAll("#locks td")].some((td) => td.textContent === "deploy")`,
      "the stream, authorised by the cookie",
    );
  } finally {
    await browser.close();
    await reap(child, "SIGTERM");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("audit --timeline in Chromium: a multi-agent run's SVG renders its rows, bars, marks and legend", async () => {
  const { dir, root } = await freshRoot();
  const as = (owner: string) => ({ root, owner });
  // Three agents take turns on build through guard; one is refused at once.
  const agents = ["ann", "ben", "cat"].map((owner) =>
    spawnLokt(
      ["guard", "build", "--wait", "--timeout", "60s", "--", "sh", "-c", "sleep 0.3"],
      as(owner),
    )
  );
  for (const agent of agents) assertEquals((await agent.output()).code, 0);
  await lokt(["lock", "test", "--ttl", "5m"], as("ann"));
  assertEquals((await lokt(["lock", "test"], as("ben"))).code, 2);
  await lokt(["unlock", "test", "--force"], as("ops"));
  await lokt(["reserve", "docs/**"], as("cat"));
  const file = `${dir}/timeline.svg`;
  const out = await lokt(["audit", "--timeline"], as("viewer"));
  assertEquals(out.code, 0, out.stderr);
  await Deno.writeTextFile(file, out.stdout);
  const browser = await launchChromium();
  try {
    const page = await browser.page();
    await page.viewport(1280, 800);
    await page.goto(`file://${file}`);
    const seen: Record<string, unknown> = await page.evaluate(`({
      rows: [...document.querySelectorAll("g.row")].map((g) => g.dataset.name + " " + g.dataset.kind),
      holds: [...document.querySelectorAll("g.row[data-name=build] rect.hold")].map((r) => r.dataset.owner).sort(),
      narrowest: Math.min(...[...document.querySelectorAll("rect.hold")].map((r) => r.getBBox().width)),
      waits: document.querySelectorAll("g.row[data-name=build] rect.wait").length,
      marks: [...document.querySelectorAll(".mark")].map((m) => m.classList[1]).sort(),
      legend: [...document.querySelectorAll(".legend text")].map((t) => t.textContent),
      labelsDrawn: [...document.querySelectorAll("g.row > text")].every((t) => t.getComputedTextLength() > 0),
    })`);
    assertEquals(seen.rows, ["build lock", "docs/** reservation", "test lock"]);
    assert((seen.waits as number) >= 1, "the agents that queued are drawn waiting");
    assertEquals(seen.holds, ["ann", "ben", "cat"]);
    assert((seen.narrowest as number) >= 1.5, String(seen.narrowest));
    assertEquals(seen.marks, ["break", "deny"]);
    for (const owner of ["ann", "ben", "cat", "waiting"]) {
      assert((seen.legend as string[]).includes(owner), JSON.stringify(seen.legend));
    }
    assertEquals(seen.labelsDrawn, true);
    await page.screenshot("timeline-multi-agent.png");
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dashboard in Chromium on the Redis backend: another machine's lock, slots, reservation and freeze appear live", async () => {
  const server = await startRedis();
  const backend = `redis://127.0.0.1:${server.port}`;
  const clone = async (machine: string) => {
    const cwd = await tempDir();
    await git(cwd, "init", "-q");
    await git(cwd, "remote", "add", "origin", "https://github.com/acme/app");
    return { cwd, env: { LOKT_BACKEND: backend, LOKT_MACHINE_ID: machine } };
  };
  const here = await clone("machine-a");
  const there = await clone("machine-b");
  const { child, url } = await serve(here);
  const browser = await launchChromium();
  try {
    const page = await livePage(browser, url);
    assert((await page.evaluate<string>(`document.getElementById("store").textContent`)).includes(
      "namespace github.com/acme/app",
    ));
    // Taken on the other machine after the page loaded.
    await lokt(["lock", "build", "--ttl", "5m"], { ...there, owner: "remote-agent" });
    await lokt(["lock", "ci", "--slots", "2", "--ttl", "5m"], { ...there, owner: "r2" });
    await lokt(["reserve", "src/api/**"], { ...there, owner: "r3" });
    await lokt(["freeze", "deploy", "--ttl", "5m"], { ...there, owner: "ops" });
    await page.waitFor(
      `[...document.querySelectorAll("#locks td")].some((td) => td.textContent === "r2 (slot 0)") &&
       document.getElementById("reservations").textContent.includes("src/api/**") &&
       document.getElementById("freezes").textContent.includes("deploy frozen by ops")`,
      "the other machine's state on the page",
    );
    const build = (await lockRows(page)).find((r) => r[0] === "build")!;
    assertEquals([build[1], build[5]], ["remote-agent", "ttl-only"]);
    // The timeline is read from the server's audit stream.
    await page.waitFor(
      `[...document.querySelectorAll("#timeline-svg g.row")].map((g) => g.dataset.name).sort().join() === "build,ci,deploy,src/api/**"`,
      "the timeline from the stream",
    );
    await page.screenshot("dashboard-redis.png");
  } finally {
    await browser.close();
    await reap(child, "SIGTERM");
    await server.stop();
    for (const dir of [here.cwd, there.cwd]) await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("audit --timeline in Chromium stays readable at 100 names and 10,000 events", async () => {
  const { dir, root } = await freshRoot();
  // A trail written as lokt writes it: 100 names, 20 owners, acquire/release pairs and refusals.
  const now = Date.now();
  const lines: string[] = [];
  for (let i = 0; i < 10_000; i++) {
    const ts = new Date(now - 3_000_000 + i * 290).toISOString();
    // Pairs of acquire and release; one release in ten is a refusal instead.
    const pair = Math.floor(i / 2);
    const name = `lock-${String(pair % 100).padStart(2, "0")}`;
    const kind = i % 2 === 0 ? "acquire" : pair % 10 === 9 ? "deny" : "release";
    lines.push(JSON.stringify({
      ts,
      event: kind,
      name,
      lock_id: kind === "deny" ? null : `id-${pair}`,
      fence: i,
      owner: `agent-${i % 20}`,
      agent_id: "a",
      host: "h",
      pid: 1,
      ttl_ms: null,
      reason: null,
      detail: null,
    }));
  }
  await Deno.mkdir(root, { recursive: true });
  await Deno.writeTextFile(`${root}/audit.jsonl`, lines.join("\n") + "\n");
  const out = await lokt(["audit", "--timeline", "--since", "1h"], { root, owner: "viewer" });
  assertEquals(out.code, 0, out.stderr);
  const file = `${dir}/big.svg`;
  await Deno.writeTextFile(file, out.stdout);
  const browser = await launchChromium();
  try {
    const page = await browser.page();
    await page.viewport(1280, 800);
    await page.goto(`file://${file}`);
    const seen: Record<string, number | boolean> = await page.evaluate(`(() => {
      const rows = [...document.querySelectorAll("g.row")];
      const labels = rows.map((g) => g.querySelector("text").getBBox());
      return {
        rows: rows.length,
        labelsApart: labels.every((b, i) => i === 0 || b.y >= labels[i - 1].y + labels[i - 1].height),
        shapes: document.querySelectorAll("rect.hold, rect.wait, .mark").length,
        legendBelowRows: document.querySelector(".legend").getBBox().y >
          rows.at(-1).getBBox().y + rows.at(-1).getBBox().height,
        ticks: document.querySelectorAll("text.tick").length,
      };
    })()`);
    assertEquals(seen.rows, 100);
    assertEquals(seen.labelsApart, true);
    assertEquals(seen.legendBelowRows, true);
    assert((seen.ticks as number) >= 4 && (seen.ticks as number) <= 11, String(seen.ticks));
    // Bounded: far fewer shapes than events, however many events.
    assert((seen.shapes as number) > 100 && (seen.shapes as number) < 10_000, String(seen.shapes));
    await page.screenshot("timeline-100-names.png");
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("one owner, one colour: in Chromium the same owner's holds are filled alike in a narrow view, the whole one and the dashboard; 14 owners, 14 styles", async () => {
  const { dir, root } = await freshRoot();
  const as = (owner: string) => ({ root, owner });
  const owners = ["a1", "agent-2", ...Array.from({ length: 12 }, (_, i) => `claude-${i + 1}`)];
  for (const [i, owner] of owners.entries()) {
    assertEquals((await lokt(["lock", `n${i}`], as(owner))).code, 0);
    assertEquals((await lokt(["unlock", `n${i}`], as(owner))).code, 0);
  }
  const fillsOf = (page: Page) =>
    page.evaluate<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll("rect.hold")].map((r) => [r.dataset.owner, r.getAttribute("fill")]))`,
    );
  const view = async (args: string[], name: string) => {
    const out = await lokt(["audit", "--timeline", ...args], as("viewer"));
    assertEquals(out.code, 0, out.stderr);
    const file = `${dir}/${name}.svg`;
    await Deno.writeTextFile(file, out.stdout);
    return file;
  };
  const whole = await view([], "whole");
  const narrow = await view(["--name", "n5"], "narrow");
  const { child, url } = await serve(root);
  const browser = await launchChromium();
  try {
    const page = await browser.page();
    await page.goto(`file://${whole}`);
    const all = await fillsOf(page);
    assertEquals(Object.keys(all).sort(), [...owners].sort());
    // 14 owners, more than the 12 colours: still 14 different fills.
    assertEquals(new Set(Object.values(all)).size, owners.length, JSON.stringify(all));
    await page.goto(`file://${narrow}`);
    const one = await fillsOf(page);
    assertEquals(Object.keys(one), [owners[5]]);
    assertEquals(one[owners[5]!], all[owners[5]!]);
    const live = await livePage(browser, url);
    await live.waitFor(
      `document.querySelectorAll("#timeline-svg rect.hold").length >= 14`,
      "timeline",
    );
    assertEquals(await fillsOf(live), all);
  } finally {
    await browser.close();
    await reap(child, "SIGTERM");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test('dashboard in Chromium: a lock whose holder died reads "dead" once, not "dead — dead"', async () => {
  const { dir, root } = await freshRoot();
  const holder = new Deno.Command("sleep", { args: ["60"] }).spawn();
  const held = await lokt(["lock", "orphan", "--pid", String(holder.pid), "--ttl", "0"], {
    root,
    owner: "ghost",
  });
  assertEquals(held.code, 0, held.stderr);
  holder.kill("SIGKILL");
  await holder.status;
  const { child, url } = await serve(root);
  const browser = await launchChromium();
  try {
    const page = await livePage(browser, url);
    const rows = await lockRows(page);
    const orphan = rows.find((r) => r[0] === "orphan");
    assert(orphan, JSON.stringify(rows));
    assertEquals(orphan[5], "dead");
  } finally {
    await browser.close();
    await reap(child, "SIGTERM");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dashboard: a plain `chromium --headless --dump-dom` (as --screenshot sees it) already has the latest events and the timeline", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["lock", "build", "--ttl", "10m"], { root, owner: "alice" });
  assertEquals((await lokt(["lock", "build"], { root, owner: "bob" })).code, 2);
  const { child, url } = await serve(root);
  const profile = await tempDir("lokt-chromium-");
  try {
    const out = await new Deno.Command("chromium", {
      args: [
        ...CHROMIUM_FLAGS,
        "--disable-background-networking",
        `--user-data-dir=${profile}`,
        "--dump-dom",
        url,
      ],
      stdout: "piped",
      stderr: "null",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const dom = new TextDecoder().decode(out.stdout);
    const events = dom.match(/<tbody id="events">([\s\S]*?)<\/tbody>/)?.[1] ?? "";
    assert(/<td[^>]*>deny<\/td>/.test(events) && /<td[^>]*>acquire<\/td>/.test(events), events);
    assert(
      /<div id="timeline-svg"><svg[\s\S]*data-name="build"/.test(dom),
      "the timeline is drawn",
    );
    assert(/<tbody id="locks"><tr/.test(dom), "the locks are drawn");
    // What needs a person, at the top of the page, from the timeline's own summary.
    const attention = dom.match(/<ul id="attention-list">([\s\S]*?)<\/ul>/)?.[1] ?? "";
    assert(/Most contended: build \(1 refused, 0 waited\)/.test(attention), attention);
  } finally {
    await reap(child, "SIGTERM");
    await Deno.remove(profile, { recursive: true }).catch(() => {});
    await Deno.remove(dir, { recursive: true });
  }
});
