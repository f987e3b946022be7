// `lokt audit --since 1h --name x --json` over a generated 1,000,000-line
// trail: wall time and peak memory (GNU time -v). Baseline in the same run:
// `grep -c` of the same name over the same file (a pure text scan).
// Targets: under 3 s and under 150 MB. Then `audit --timeline --since 1h`
// (same budget) and `audit --timeline` over all 48 hours (within 2x).
//
//   deno run -A bench/audit_bench.ts [lines]

const total = Number(Deno.args[0] ?? 1_000_000);
const here = new URL(".", import.meta.url).pathname;
const cli = `${here}../cli.ts`;
const dir = await Deno.makeTempDir({ prefix: "lokt-audit-bench-" });
const root = `${dir}/root`;
await Deno.mkdir(root, { recursive: true });

// 48 hours of events, oldest first; one event in 50 concerns "x".
const kinds = ["acquire", "release", "deny", "wait", "renew", "expire-break"];
const now = Date.now();
const span = 48 * 3_600_000;
const file = await Deno.open(`${root}/audit.jsonl`, { write: true, create: true, truncate: true });
const encoder = new TextEncoder();
let batch: string[] = [];
for (let i = 0; i < total; i++) {
  const ts = new Date(now - span + Math.floor((i / total) * span)).toISOString();
  const name = i % 50 === 0 ? "x" : `lock-${i % 97}`;
  batch.push(JSON.stringify({
    ts,
    event: kinds[i % kinds.length],
    name,
    lock_id: (i * 2654435761 % 2 ** 32).toString(16).padStart(32, "0"),
    fence: i,
    owner: `agent-${i % 20}`,
    agent_id: `agent-${(i % 20).toString(16).padStart(8, "0")}`,
    host: "bench-host",
    pid: 1000 + (i % 5000),
    ttl_ms: 300000,
    reason: i % 3 === 0 ? "nightly build" : null,
    detail: i % 5 === 0 ? { previous_owner: `agent-${(i + 1) % 20}` } : null,
  }));
  if (batch.length === 10_000) {
    await file.write(encoder.encode(batch.join("\n") + "\n"));
    batch = [];
  }
}
if (batch.length) await file.write(encoder.encode(batch.join("\n") + "\n"));
file.close();
const size = (await Deno.stat(`${root}/audit.jsonl`)).size;

// GNU time gives the peak memory; without it (apt-get install time), wall time only.
const hasTime = await Deno.stat("/usr/bin/time").then(() => true, () => false);
if (!hasTime) {
  console.error("note: /usr/bin/time missing, peak memory not measured (apt-get install time)");
}

async function measure(cmd: string[], env: Record<string, string> = {}) {
  if (!hasTime) {
    const t0 = performance.now();
    const out = await new Deno.Command(cmd[0] as string, {
      args: cmd.slice(1),
      env: { ...Deno.env.toObject(), ...env },
      stdout: "piped",
      stderr: "null",
    }).output();
    const lines = new TextDecoder().decode(out.stdout).split("\n").length - 1;
    return { seconds: (performance.now() - t0) / 1000, rssMb: NaN, lines, code: out.code };
  }
  const out = await new Deno.Command("/usr/bin/time", {
    args: ["-v", ...cmd],
    env: { ...Deno.env.toObject(), ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const err = new TextDecoder().decode(out.stderr);
  const wall = err.match(
    /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/,
  );
  const rss = Number(err.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1]);
  const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  return {
    seconds,
    rssMb: rss / 1024,
    lines: new TextDecoder().decode(out.stdout).split("\n").length - 1,
    code: out.code,
  };
}

const lokt = await measure(
  [Deno.execPath(), "run", "-A", "--quiet", cli, "audit", "--since", "1h", "--name", "x", "--json"],
  { LOKT_ROOT: root, LOKT_OWNER: "bench" },
);
const all = await measure(
  [Deno.execPath(), "run", "-A", "--quiet", cli, "audit", "--name", "x", "--json"],
  { LOKT_ROOT: root, LOKT_OWNER: "bench" },
);
// The timeline (issue 17): the last hour, and the whole 48 hours aggregated
// (target: within 2x the audit-query budget, 6 s and 300 MB).
const timeline1h = await measure(
  [Deno.execPath(), "run", "-A", "--quiet", cli, "audit", "--timeline", "--since", "1h"],
  { LOKT_ROOT: root, LOKT_OWNER: "bench" },
);
const timelineAll = await measure(
  [Deno.execPath(), "run", "-A", "--quiet", cli, "audit", "--timeline", "--since", "48h"],
  { LOKT_ROOT: root, LOKT_OWNER: "bench" },
);
const grep = await measure(["grep", "-c", '"name":"x"', `${root}/audit.jsonl`]);

console.log(JSON.stringify(
  {
    date: new Date().toISOString().slice(0, 10),
    deno: Deno.version.deno,
    trail_lines: total,
    trail_mb: +(size / 1024 / 1024).toFixed(1),
    since_1h_name_x: {
      seconds: lokt.seconds,
      peak_rss_mb: +lokt.rssMb.toFixed(1),
      events: lokt.lines,
      exit: lokt.code,
    },
    all_of_name_x: {
      seconds: all.seconds,
      peak_rss_mb: +all.rssMb.toFixed(1),
      events: all.lines,
      exit: all.code,
    },
    timeline_since_1h: {
      seconds: timeline1h.seconds,
      peak_rss_mb: +timeline1h.rssMb.toFixed(1),
      svg_lines: timeline1h.lines,
      exit: timeline1h.code,
    },
    timeline_all_48h: {
      seconds: timelineAll.seconds,
      peak_rss_mb: +timelineAll.rssMb.toFixed(1),
      svg_lines: timelineAll.lines,
      exit: timelineAll.code,
    },
    baseline_grep: { seconds: grep.seconds, peak_rss_mb: +grep.rssMb.toFixed(1) },
    ratio_to_grep: +(lokt.seconds / grep.seconds).toFixed(2),
    targets: { seconds: 3, peak_rss_mb: 150, timeline_all_48h: { seconds: 6, peak_rss_mb: 300 } },
  },
  null,
  2,
));
await Deno.remove(dir, { recursive: true });
