// lokt dashboard (docs/contract.md §18) at the HTTP level: the page has no external asset,
// /api/status is the status document, /events delivers a lock taken after the
// stream opened, the Host check refuses other names, a token is required when
// given (Bearer or ?token=, which sets the cookie the event stream uses), a
// non-loopback host without a token is refused, and nothing can be changed.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { freshRoot, lineReader, lokt, reap, spawnLokt } from "./_helpers.ts";
import { dashboardHandler } from "../lib/cli/dashboard/dashboard_server.ts";

async function serve(root: string, ...args: string[]) {
  const child = spawnLokt(["dashboard", "--port", "0", ...args], { root, owner: "viewer" });
  const url = await lineReader(child.stdout).next();
  assert(url !== null && url.startsWith("http://127.0.0.1:"), String(url));
  return { child, url: new URL(url) };
}

/** A raw request, to send a Host header fetch would not. */
async function raw(port: number, request: string): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(new TextEncoder().encode(request));
  const buf = new Uint8Array(4096);
  const n = await conn.read(buf);
  conn.close();
  return new TextDecoder().decode(buf.subarray(0, n ?? 0));
}

Deno.test("dashboard: the page, /api/status, /events live, the Host check, read-only", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["lock", "build", "--reason", "compiling"], { root, owner: "alice" });
  const { child, url } = await serve(root);
  const base = `http://127.0.0.1:${url.port}`;
  try {
    const page = await (await fetch(`${base}/`)).text();
    assertMatch(page, /<main>/);
    assert(!/(src|href)="https?:/.test(page) && !/url\(https?:/.test(page), "no external asset");
    const status = await (await fetch(`${base}/api/status`)).json();
    assertEquals([status.command, status.locks[0].name, status.locks[0].owner], [
      "status",
      "build",
      "alice",
    ]);
    const svg = await (await fetch(`${base}/timeline.svg?since=1h`)).text();
    assertMatch(svg, /^<svg[\s\S]*data-name="build"/);
    const audit = await (await fetch(`${base}/api/audit?since=1h`)).json();
    assertEquals(audit[0].event, "acquire");
    // The event stream delivers a lock taken after it opened.
    const events = await fetch(`${base}/events`);
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    let seen = "";
    const first = await reader.read();
    seen += first.value ?? "";
    assertMatch(seen, /event: status\ndata: \{/);
    await lokt(["lock", "deploy"], { root, owner: "bob" });
    while (!seen.includes('"name":"deploy"')) seen += (await reader.read()).value ?? "";
    await reader.cancel();
    assertMatch(
      await raw(
        Number(url.port),
        "GET /api/status HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
      ),
      /^HTTP\/1\.1 421/,
    );
    assertEquals((await fetch(`${base}/api/status`, { method: "POST" })).status, 405);
    assertEquals((await fetch(`${base}/api/unlock`)).status, 404);
  } finally {
    await reap(child, "SIGTERM");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dashboard: a token is required when given — Bearer, or ?token= setting the cookie; another host needs one", async () => {
  const { dir, root } = await freshRoot();
  const { child, url } = await serve(root, "--token", "s3cret-token");
  const base = `http://127.0.0.1:${url.port}`;
  try {
    assertEquals(url.searchParams.get("token"), "s3cret-token");
    assertEquals((await fetch(`${base}/api/status`)).status, 401);
    const bearer = await fetch(`${base}/api/status`, {
      headers: { authorization: "Bearer s3cret-token" },
    });
    assertEquals(bearer.status, 200);
    await bearer.body?.cancel();
    const page = await fetch(`${base}/?token=s3cret-token`);
    assertEquals(page.status, 200);
    await page.body?.cancel();
    const cookie = page.headers.get("set-cookie") ?? "";
    assertMatch(cookie, /lokt_token=s3cret-token; HttpOnly; SameSite=Strict/);
    const withCookie = await fetch(`${base}/api/status`, {
      headers: { cookie: "lokt_token=s3cret-token" },
    });
    assertEquals(withCookie.status, 200);
    await withCookie.body?.cancel();
  } finally {
    await reap(child, "SIGTERM");
  }
  const open = await lokt(["dashboard", "--host", "0.0.0.0"], { root, owner: "x" });
  assertEquals(open.code, 64);
  assertMatch(open.stderr, /needs --token/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("dashboard: listening on every address, it answers this machine's name and addresses, still no other Host, still only with the token", async () => {
  // The handler alone (no socket: tests listen on 127.0.0.1 only).
  const handle = dashboardHandler({ hostname: "0.0.0.0", port: 7337, token: "t0ken-t0ken" });
  const ask = (host: string, token: string | null = "t0ken-t0ken") =>
    handle(
      new Request("http://127.0.0.1:7337/api/does-not-exist", {
        headers: { host, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      }),
    );
  // A machine that reaches Debian's mirrors has an address other than loopback.
  const address =
    Deno.networkInterfaces().find((i) => i.family === "IPv4" && !i.address.startsWith("127."))!
      .address;
  // 404: let through the Host and token checks to the (unknown) path.
  assertEquals((await ask(`${address}:7337`)).status, 404);
  assertEquals((await ask(`${Deno.hostname().toUpperCase()}:7337`)).status, 404);
  assertEquals((await ask("localhost:7337")).status, 404);
  assertEquals((await ask("evil.example:7337")).status, 421);
  assertEquals((await ask(`${address}:8080`)).status, 421);
  assertEquals((await ask(`${address}:7337`, null)).status, 401);
  // On loopback, the machine's address is not a served host.
  const local = dashboardHandler({ hostname: "127.0.0.1", port: 7337, token: null });
  const res = await local(new Request("http://x/", { headers: { host: `${address}:7337` } }));
  assertEquals(res.status, 421);
});

Deno.test("dashboard hardening: an odd Host is 421 (never 500), bad query values are 400, no value is a flag, the token can come from the environment", async () => {
  const { dir, root } = await freshRoot();
  await lokt(["lock", "build"], { root, owner: "alice" });
  const { child, url } = await serve(root);
  const port = Number(url.port);
  const base = `http://127.0.0.1:${port}`;
  try {
    for (const host of [`127.0.0.1:${port}.evil.com`, `127.0.0.1:${port}0`, "127.0.0.1", "[::1"]) {
      const answer = await raw(
        port,
        `GET /api/status HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
      );
      assertMatch(answer, /^HTTP\/1\.1 (421|400)/, `${host}: ${answer.split("\r\n")[0]}`);
    }
    for (
      const path of [
        "/timeline.svg?since=-5m",
        "/api/audit?limit=-1",
        "/api/audit?since=abc",
        "/api/audit?limit=99999",
        "/api/why?name=-h",
        "/api/why?name=--help",
        "/api/why",
      ]
    ) {
      const res = await fetch(`${base}${path}`);
      const body = await res.text();
      assertEquals(res.status, 400, `${path}: ${body.slice(0, 120)}`);
      assertEquals(res.headers.get("content-type")?.startsWith("application/json"), true, path);
      assert(!body.includes("Usage:"), `${path} served help text`);
    }
    assertEquals((await fetch(`${base}/api/why?name=build`)).status, 200);
  } finally {
    await reap(child, "SIGTERM");
  }
  // The token from the environment (not argv, which ps shows) is required like --token.
  const fromEnv = spawnLokt(["dashboard", "--port", "0"], {
    root,
    owner: "viewer",
    env: { LOKT_DASHBOARD_TOKEN: "env-token-123" },
  });
  try {
    const line = await lineReader(fromEnv.stdout).next();
    const envUrl = new URL(line ?? "");
    assertEquals(envUrl.searchParams.get("token"), "env-token-123");
    const at = `http://127.0.0.1:${envUrl.port}/api/status`;
    const denied = await fetch(at);
    await denied.body?.cancel();
    assertEquals(denied.status, 401);
    const wrong = await fetch(at, { headers: { authorization: "Bearer env-token-124" } });
    await wrong.body?.cancel();
    assertEquals(wrong.status, 401);
    const ok = await fetch(at, { headers: { authorization: "Bearer env-token-123" } });
    await ok.body?.cancel();
    assertEquals(ok.status, 200);
  } finally {
    await reap(fromEnv, "SIGTERM");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("dashboard: the page's script compiles (a quoting slip in the page's template breaks the whole page)", async () => {
  const { dashboardPage } = await import("../lib/cli/dashboard/dashboard_page.ts");
  const page = dashboardPage({ status: { locks: [] }, events: [], svg: "<svg></svg>" });
  const scripts = [...page.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
  assertEquals(scripts.length, 1);
  // Compiled, not run: a syntax error throws here.
  new Function(scripts[0] as string);
});
