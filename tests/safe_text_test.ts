// Text that reaches a terminal or an agent (docs/contract.md §19): no control
// sequence from data ever reaches a terminal (a guard's command line, a
// hand-written record), and names, owners and reasons refuse control
// characters and bidirectional overrides outright.
import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { freshRoot, lokt, reap, spawnLokt, waitFor } from "./_helpers.ts";

// deno-lint-ignore no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

Deno.test("status and why show a guard's command line with its control sequences escaped, never raw", async () => {
  const { root } = await freshRoot();
  const evil = "sleep 30 #\u001b]0;PWN\u0007\u001b[31mRED";
  const guard = spawnLokt(["guard", "esc", "--", "sh", "-c", evil], { root, owner: "a" });
  try {
    await waitFor(async () => (await lokt(["exists", "esc"], { root })).code === 0, "guard holds");
    for (const args of [["status"], ["status", "esc"], ["why", "esc"]]) {
      const out = await lokt(args, { root, owner: "b" });
      assert(!RAW_CONTROL.test(out.stdout), `${args.join(" ")}: ${JSON.stringify(out.stdout)}`);
      assert(out.stdout.includes("\\x1b]0;PWN\\x07\\x1b[31mRED"), out.stdout);
    }
    // The refusal names the holder's command too, escaped.
    const denied = await lokt(["lock", "esc"], { root, owner: "b" });
    assertEquals(denied.code, 2);
    assert(!RAW_CONTROL.test(denied.stderr), JSON.stringify(denied.stderr));
    // JSON keeps the data exact, escaped as JSON escapes.
    const json = JSON.parse((await lokt(["status", "--json"], { root, owner: "b" })).stdout);
    assertEquals(json.locks[0].command.at(-1), evil);
  } finally {
    await reap(guard, "SIGTERM");
  }
});

Deno.test("a hand-written record with escapes and newlines in owner and reason keeps the status table one line per hold", async () => {
  const { root } = await freshRoot();
  assertEquals((await lokt(["lock", "x", "--ttl", "10m"], { root, owner: "a" })).code, 0);
  const path = `${root}/locks/x.json`;
  const record = JSON.parse(await Deno.readTextFile(path));
  record.owner = "a\u001b[2J\nFAKE   held";
  record.reason = "line1\nline2\u0007\u202e";
  await Deno.writeTextFile(path, JSON.stringify(record));
  const out = await lokt(["status"], { root, owner: "b" });
  assertEquals(out.code, 0, out.stderr);
  assert(!RAW_CONTROL.test(out.stdout), JSON.stringify(out.stdout));
  const rows = out.stdout.trim().split("\n");
  assertEquals(rows.length, 2, out.stdout);
  assertMatch(rows[1] as string, /a\\x1b\[2J\\nFAKE {3}held/);
  const why = await lokt(["why", "x"], { root, owner: "b" });
  assert(!RAW_CONTROL.test(why.stdout), JSON.stringify(why.stdout));
  const audit = await lokt(["audit"], { root, owner: "b" });
  assert(!RAW_CONTROL.test(audit.stdout), JSON.stringify(audit.stdout));
});

Deno.test("owners, agent ids and reasons with a bidirectional override or isolate are refused (exit 64), like control characters", async () => {
  const { root } = await freshRoot();
  for (const owner of ["agent\u202e1", "agent\u20661", "a\u0007"]) {
    const out = await lokt(["lock", "x"], { root, owner });
    assertEquals(out.code, 64, `${JSON.stringify(owner)}: ${out.stderr}`);
    assert(!RAW_CONTROL.test(out.stderr), JSON.stringify(out.stderr));
  }
  const agent = await lokt(["lock", "x"], { root, owner: "a", env: { LOKT_AGENT_ID: "x\u202dy" } });
  assertEquals(agent.code, 64, agent.stderr);
  for (const reason of ["txt\u202egnp.exe", "a\u2069b", "two\nlines"]) {
    for (
      const args of [["lock", "x", "--reason", reason], ["reserve", "src", "--reason", reason]]
    ) {
      const out = await lokt(args, { root, owner: "a" });
      assertEquals(out.code, 64, `${args[0]} ${JSON.stringify(reason)}: ${out.stderr}`);
    }
  }
  assertEquals(
    (await lokt(["freeze", "x", "--ttl", "1m", "--reason", "a\u202eb"], { root, owner: "a" })).code,
    64,
  );
  // Nothing was written by the refused calls.
  assertEquals(
    (await lokt(["status", "--json"], { root, owner: "a" })).stdout.includes('"locks":[]'),
    true,
  );
});
