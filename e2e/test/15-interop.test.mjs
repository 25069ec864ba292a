// The moq-interop-runner's cases (englishm/moq-interop-runner docs/tests/TEST-CASES.md: the eight cases
// and the candidates data-subgroup-basic and subscribe-namespace-lifecycle) against the jmoq relay process,
// for every IETF moq-transport draft the relay speaks, with two clients:
//   (a) jmoq's own interop client over raw QUIC (moqt://), run as `jmoq interop` with the runner's client
//       contract (RELAY_URL, TESTCASE, TLS_DISABLE_VERIFY, MOQT_DRAFT; TAP version 14 on stdout);
//   (b) @moq/net 0.3.4's IETF client in Node over WebSocket (lib/interop-cases.mjs), the subprotocol
//       forced to the draft's `qmux-01.moqt-NN`;
//   (c) the same cases with @moq/net 0.3.4 in headless Chromium over WebTransport, offering only the
//       draft's protocol (moq-00 for 14, moqt-NN after).
// The table case x draft x client x transport is written to .out/interop.md (and docs/interop.md
// carries it as measured). A cell is a pass, a case the client cannot run (SKIP, with why), a known
// failure (with its reason, listed below), or an unexpected failure, which fails the test.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { openPage } from "../lib/browser.mjs";
import { relay, withContext } from "../lib/env.mjs";
import { CASES, runCase } from "../lib/interop-cases.mjs";
import { clients } from "../lib/moq.mjs";

const DRAFTS = [14, 15, 16, 17, 18, 20];
const JAVA = "jmoq interop · raw QUIC";
const NODE = "@moq/net 0.3.4 · WebSocket";
const CHROME = "@moq/net 0.3.4 in Chromium · WebTransport";
const SHORT = { [JAVA]: "jmoq/QUIC", [NODE]: "@moq/net/WS", [CHROME]: "Chromium/WT" };

let browser;
before(async () => {
  browser = await openPage();
});

/** Cells known to fail because of a relay defect: case -> reason (every draft, both clients). */
const KNOWN_FAILING = {
};

/** Cases @moq/net 0.3.4 cannot run (jmoq interop runs every case), and why. */
const MOQ_NET_CANNOT = "@moq/net 0.3.4 has no publisher-initiated PUBLISH in its API";
const NOT_RUNNABLE = {
  [NODE]: { "publish-track-only": MOQ_NET_CANNOT, "publish-track-subscribe": MOQ_NET_CANNOT },
  [CHROME]: { "publish-track-only": MOQ_NET_CANNOT, "publish-track-subscribe": MOQ_NET_CANNOT },
};

/** results[client][draft][case] = { status: pass|fail|skip|n/a, detail } */
const results = { [JAVA]: {}, [NODE]: {}, [CHROME]: {} };

/** TAP version 14 from `jmoq interop`: test points with their YAML diagnostics. */
function parseTap(text) {
  const points = {};
  let current;
  for (const line of text.split("\n")) {
    const m = /^(not )?ok \d+ - (\S+)(?: # (SKIP|TODO)\s*(.*))?$/.exec(line);
    if (m) {
      current = { status: m[3] === "SKIP" ? "skip" : m[1] ? "fail" : "pass", detail: m[4] ?? "", yaml: {} };
      points[m[2]] = current;
      continue;
    }
    const y = /^ {2}([a-z_]+): (.*)$/.exec(line);
    if (y && current) current.yaml[y[1]] = y[2].replace(/^"|"$/g, "");
  }
  for (const p of Object.values(points)) {
    if (p.status === "fail") p.detail = `expected ${p.yaml.expected ?? "?"}, received ${p.yaml.received ?? p.yaml.message ?? "?"}`;
  }
  return points;
}

function runJava(env, ms) {
  return new Promise((resolve, reject) => {
    const p = spawn(relay.jmoq, ["interop"], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`jmoq interop did not finish within ${ms} ms\nstdout: ${out}\nstderr: ${err.slice(-2000)}`));
    }, ms);
    p.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

/** Checks one client's row for a draft: every cell passes, or is a listed skip / known failure. */
function judge(t, client, draft, cells) {
  const unexpected = [];
  for (const [id] of CASES) {
    const c = cells[id];
    if (!c) {
      unexpected.push(`${id}: no result`);
      continue;
    }
    if (c.status === "fail" && KNOWN_FAILING[id]) {
      c.status = "known-fail";
      t.diagnostic(`${id}: known failure (${c.detail})`);
    } else if (c.status === "skip" && NOT_RUNNABLE[client]?.[id]) {
      c.status = "not-runnable";
      t.diagnostic(`${id}: not runnable (${c.detail})`);
    } else if (c.status === "pass" && KNOWN_FAILING[id]) {
      t.diagnostic(`${id}: passed this run (its known defect is timing-dependent)`);
    } else if (c.status !== "pass") {
      unexpected.push(`${id}: ${c.status} ${c.detail}`);
    }
  }
  results[client][draft] = cells;
  assert.deepEqual(unexpected, [], `${client} draft ${draft}: unexpected results`);
}

for (const draft of DRAFTS) {
  test(`draft ${draft}: jmoq interop over raw QUIC, the runner's client contract`, async (t) => {
    await withContext(t, async () => {
      const env = { RELAY_URL: `moqt://127.0.0.1:${relay.port}`, TLS_DISABLE_VERIFY: "1", MOQT_DRAFT: `draft-${draft}` };
      const r = await runJava(env, 120_000);
      assert.match(r.out, /^TAP version 14\n/, "TAP version 14 first");
      assert.match(r.out, new RegExp(`\\n1\\.\\.${CASES.length}\\n`), "the plan covers every case");
      const points = parseTap(r.out);
      const anyFail = Object.values(points).some((p) => p.status === "fail");
      assert.equal(r.code, anyFail ? 1 : 0, `exit code (stderr: ${r.err.slice(-500)})`);
      judge(t, JAVA, draft, points);
    });
  });

  test(`draft ${draft}: @moq/net 0.3.4 in Node over WebSocket`, async (t) => {
    const offer = clients["@moq/net"].webSocketOffer(relay.url).find((s) => s.endsWith(`.moqt-${draft}`));
    if (!offer) {
      results[NODE][draft] = Object.fromEntries(CASES.map(([id]) => [id, { status: "n/a", detail: `@moq/net 0.3.4 offers no WebSocket subprotocol for draft ${draft}` }]));
      t.skip(`@moq/net 0.3.4 offers no WebSocket subprotocol for draft ${draft}`);
      return;
    }
    await withContext(t, async () => {
      const cells = {};
      for (const [id] of CASES) {
        cells[id] = await runCase(id, () => clients["@moq/net"].connect(relay.url, { offer }));
      }
      t.diagnostic(`offer ${offer}`);
      judge(t, NODE, draft, cells);
    });
  });
}

for (const draft of DRAFTS) {
  test(`draft ${draft}: @moq/net 0.3.4 in Chromium over WebTransport`, async (t) => {
    const mark = browser.pageLog.length;
    const protocol = draft === 14 ? "moq-00" : `moqt-${draft}`;
    if (draft === 14) {
      // @moq/net 0.3.4 throws "unsupported WebTransport protocol: moq-00" when moq-00 is negotiated.
      const why = "@moq/net 0.3.4 does not speak draft 14 over WebTransport (it throws `unsupported WebTransport protocol: moq-00`)";
      results[CHROME][draft] = Object.fromEntries(CASES.map(([id]) => [id, { status: "n/a", detail: why }]));
      t.skip(why);
      return;
    }
    try {
      await withContext(t, async () => {
        const cells = await browser.page.evaluate((args) => window.e2e.interop(args), { relayUrl: relay.url, protocol });
        t.diagnostic(`offer ${protocol}`);
        judge(t, CHROME, draft, cells);
      });
    } catch (e) {
      e.message += `\n--- page console ---\n${browser.pageLog.slice(mark).slice(-30).join("\n")}`;
      throw e;
    }
  });
}

const MARK = { pass: "pass", skip: "SKIP", "not-runnable": "n/a¹", "known-fail": "FAIL²", fail: "FAIL", "n/a": "n/a³" };
// A known-failing case that passed in this run is shown as "pass" (the defect is timing-dependent).

/** The table, Markdown: one row per case, one column per draft and client. */
export function table() {
  const cols = [];
  for (const d of DRAFTS) for (const c of [JAVA, NODE, CHROME]) cols.push([d, c]);
  const head = `| case | ${cols.map(([d, c]) => `d${d} ${SHORT[c]}`).join(" | ")} |`;
  const sep = `|---|${cols.map(() => "---").join("|")}|`;
  const rows = CASES.map(([id]) => `| ${id} | ${cols.map(([d, c]) => MARK[results[c][d]?.[id]?.status] ?? "not run").join(" | ")} |`);
  const notes = [
    "",
    `Clients: jmoq/QUIC = ${JAVA} (moqt://, ALPN moq-00 for draft 14, moqt-NN for 15+); @moq/net/WS = ${NODE} (subprotocol qmux-01.moqt-NN); Chromium/WT = ${CHROME} (WebTransport protocol moq-00 or moqt-NN).`,
    `¹ publish-track-only, publish-track-subscribe: ${MOQ_NET_CANNOT}.`,
    ...Object.entries(KNOWN_FAILING).map(([id, why]) => `² ${id}: ${why}.`),
    "³ @moq/net 0.3.4 offers no draft-14 (moq-00) WebSocket subprotocol, and over WebTransport it refuses a negotiated moq-00 (`unsupported WebTransport protocol: moq-00`).",
  ];
  const failures = [];
  for (const c of [JAVA, NODE, CHROME]) {
    for (const d of DRAFTS) {
      for (const [id, cell] of Object.entries(results[c][d] ?? {})) {
        if (cell.status === "fail" || cell.status === "known-fail") failures.push(`- ${c}, draft ${d}, ${id}: ${cell.detail}`);
      }
    }
  }
  return [head, sep, ...rows, ...notes, "", failures.length ? "Failures as measured:" : "No failures.", ...failures].join("\n");
}

after(async () => {
  await browser?.close();
  const md = `# Interop runner cases against the jmoq relay\n\nMeasured ${new Date().toISOString()} by e2e/test/15-interop.test.mjs.\n\n${table()}\n`;
  mkdirSync(new URL("../.out/", import.meta.url), { recursive: true });
  writeFileSync(new URL("../.out/interop.md", import.meta.url), md);
  process.stdout.write(`\n${md}\n`);
});
