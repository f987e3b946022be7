import { assertEquals, assertMatch } from "../../tests/_assert.ts";
import { loadConfig, validate } from "./config.ts";
import { LoktError } from "../model/errors.ts";

Deno.test("validate() reads defaults and per-name policies", () => {
  const config = validate(
    { defaults: { ttl: "10m", timeout: "1m" }, locks: { build: { ttl: "5m", wait: true } } },
    "",
    "lokt.jsonc",
  );
  assertEquals(config.defaultTtlMs, 600_000);
  assertEquals(config.waitTimeoutMs, 60_000);
  assertEquals(config.locks.build, {
    ttlMs: 300_000,
    wait: true,
    timeoutMs: null,
    slots: null,
    shared: null,
  });
});

Deno.test("loadConfig() parses comments and names file, line and key of a bad value", async () => {
  const dir = await Deno.makeTempDir();
  const info = { root: `${dir}/.lokt`, source: "cwd" as const, repo: dir, gitCommonDir: null };
  await Deno.writeTextFile(
    `${dir}/lokt.jsonc`,
    '// comment\n{\n  "locks": {\n    "build": { "ttl": "soon" }, // trailing\n  },\n}\n',
  );
  let message = "";
  try {
    loadConfig(info, dir);
  } catch (err) {
    if (err instanceof LoktError) message = err.message;
  }
  assertMatch(message, /lokt\.jsonc:4: key "locks\.build\.ttl"/);
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, '{ /* ok */ "defaults": { "ttl": "2m" } }');
  assertEquals(loadConfig(info, dir).defaultTtlMs, 120_000);
  await Deno.writeTextFile(`${dir}/lokt.jsonc`, '{\n "defaults": {\n "ttl": \n}');
  let syntax = "";
  try {
    loadConfig(info, dir);
  } catch (err) {
    if (err instanceof LoktError) syntax = err.message;
  }
  assertMatch(syntax, /lokt\.jsonc:\d+: not valid JSONC/);
  await Deno.remove(dir, { recursive: true });
});
