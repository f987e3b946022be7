// A real headless Chromium for tests, driven over the DevTools protocol on
// its --remote-debugging-port (a WebSocket, built into Deno): no npm driver,
// no download. Chromium runs in its own process group, so closing the browser
// ends its zygote and renderers too. Screenshots go to the artifacts folder
// (LOKT_TEST_ARTIFACTS, else tests/artifacts/).
import { endGroup, waitFor } from "./_helpers.ts";

/** Where tests leave screenshots. */
export const ARTIFACTS: string = Deno.env.get("LOKT_TEST_ARTIFACTS") ??
  new URL("./artifacts/", import.meta.url).pathname;

/** The Debian package's command. */
const CHROMIUM = "chromium";

type Params = Record<string, unknown>;

/** A DevTools connection: one WebSocket, commands matched to answers by id. */
class Connection {
  #ws: WebSocket;
  #next = 1;
  #pending = new Map<number, { resolve(v: Params): void; reject(e: Error): void }>();
  #listeners: { method: string; sessionId?: string; fire(p: Params): void }[] = [];

  constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data));
      if (typeof msg.id === "number") {
        const pending = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error) pending?.reject(new Error(`${msg.error.message} (${msg.error.code})`));
        else pending?.resolve(msg.result ?? {});
        return;
      }
      for (const l of this.#listeners) {
        if (l.method === msg.method && (l.sessionId ?? null) === (msg.sessionId ?? null)) {
          l.fire(msg.params ?? {});
        }
      }
    };
    ws.onclose = () => {
      for (const p of this.#pending.values()) p.reject(new Error("DevTools connection closed"));
      this.#pending.clear();
    };
  }

  send(method: string, params: Params = {}, sessionId?: string): Promise<Params> {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  }

  /** The next event `method` (of the session), with a bound. */
  once(method: string, sessionId: string | undefined, timeoutMs = 15_000): Promise<Params> {
    return new Promise((resolve, reject) => {
      const listener = {
        method,
        sessionId,
        fire: (p: Params) => {
          clearTimeout(timer);
          this.#listeners = this.#listeners.filter((l) => l !== listener);
          resolve(p);
        },
      };
      const timer = setTimeout(() => {
        this.#listeners = this.#listeners.filter((l) => l !== listener);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#listeners.push(listener);
    });
  }

  close(): void {
    this.#ws.close();
  }
}

/** One tab. */
export class Page {
  #conn: Connection;
  #session: string;

  constructor(conn: Connection, session: string) {
    this.#conn = conn;
    this.#session = session;
  }

  /** Sends a DevTools command to this tab. */
  send(method: string, params: Params = {}): Promise<Params> {
    return this.#conn.send(method, params, this.#session);
  }

  /** Sets the window's size (CSS pixels). */
  async viewport(width: number, height: number): Promise<void> {
    await this.send("Emulation.setDeviceMetricsOverride", {
      width,
      height,
      deviceScaleFactor: 1,
      mobile: false,
    });
  }

  /** Opens a URL and waits for its load event. */
  async goto(url: string): Promise<void> {
    const loaded = this.#conn.once("Page.loadEventFired", this.#session);
    const { errorText } = await this.send("Page.navigate", { url });
    if (errorText) throw new Error(`navigating to ${url}: ${errorText}`);
    await loaded;
  }

  /** Evaluates an expression in the page (promises awaited) and returns its value. */
  async evaluate<T>(expression: string): Promise<T> {
    const answer = await this.send("Runtime.evaluate", {
      expression,
      returnByValue: true,
      awaitPromise: true,
    });
    const thrown = answer.exceptionDetails as { exception?: { description?: string } } | undefined;
    if (thrown) throw new Error(`in the page: ${thrown.exception?.description ?? "an exception"}`);
    return (answer.result as { value: T }).value;
  }

  /** Polls an expression in the page until it is truthy. */
  async waitFor<T>(expression: string, what: string, timeoutMs = 15_000): Promise<T> {
    return await waitFor(() => this.evaluate<T>(expression), what, timeoutMs, 50);
  }

  /** Saves a PNG of the page (its full height) under {@link ARTIFACTS}; returns the path. */
  async screenshot(name: string): Promise<string> {
    const { data } = await this.send("Page.captureScreenshot", {
      format: "png",
      captureBeyondViewport: true,
    });
    await Deno.mkdir(ARTIFACTS, { recursive: true });
    const path = `${ARTIFACTS}${name}`;
    await Deno.writeFile(path, Uint8Array.from(atob(data as string), (c) => c.charCodeAt(0)));
    return path;
  }
}

/** A running headless Chromium. */
export interface Browser {
  /** Opens a new tab. */
  page(): Promise<Page>;
  /** Ends the browser and every process it started. */
  close(): Promise<void>;
}

/** How the tests start Chromium: headless, as root, no GPU, no calls out of the machine. */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--no-first-run",
];

/** Starts headless Chromium with a throw-away profile. */
export async function launchChromium(): Promise<Browser> {
  const profile = await Deno.makeTempDir({ prefix: "lokt-chromium-" });
  const child = new Deno.Command(CHROMIUM, {
    args: [
      ...CHROMIUM_FLAGS,
      "--no-default-browser-check",
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      `--user-data-dir=${profile}`,
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
    detached: true,
  }).spawn();
  const close = async () => {
    await endGroup(child.pid);
    await child.status;
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  };
  try {
    const endpoint = await devToolsEndpoint(child.stderr);
    const ws = new WebSocket(endpoint);
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error(`cannot connect to ${endpoint}`));
    });
    const conn = new Connection(ws);
    return {
      async page() {
        const { targetId } = await conn.send("Target.createTarget", { url: "about:blank" });
        const { sessionId } = await conn.send("Target.attachToTarget", {
          targetId,
          flatten: true,
        });
        const page = new Page(conn, sessionId as string);
        await page.send("Page.enable");
        await page.send("Runtime.enable");
        return page;
      },
      async close() {
        conn.close();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Reads Chromium's stderr until it names its DevTools WebSocket, then drains the rest. */
async function devToolsEndpoint(stderr: ReadableStream<Uint8Array>): Promise<string> {
  const reader = stderr.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const deadline = setTimeout(() => reader.cancel(), 30_000);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`chromium did not start:\n${seen.slice(-2000)}`);
      seen += value;
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m) {
        // Keep reading, so that Chromium never blocks on a full pipe.
        (async () => {
          while (!(await reader.read().catch(() => ({ done: true }))).done);
        })();
        return m[1] as string;
      }
    }
  } finally {
    clearTimeout(deadline);
  }
}
