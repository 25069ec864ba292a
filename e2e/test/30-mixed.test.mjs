// (c) Mixed: a broadcast published from Chromium (@moq/net, over WebTransport and, separately, over
// WebSocket) is received at the same time, byte for byte, by @moq/lite in Node over WebSocket and by the
// Java client (`jmoq sub` over raw QUIC, moqt://).

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { after, before, test } from "node:test";
import { openPage } from "../lib/browser.mjs";
import { relay, withContext } from "../lib/env.mjs";
import { frameBytes, toHex } from "../lib/frames.mjs";
import { clients } from "../lib/moq.mjs";
import { closeAll, Drain, waitAnnounced } from "../lib/scenario.mjs";
import { within } from "../lib/util.mjs";

const FRAMES = 4;
const MAX = 16384;
const JAVA_GROUPS = 5;

function javaSubAvailable() {
  if (!relay.jmoq) return "JMOQ is not set";
  const r = spawnSync(relay.jmoq, ["sub", "--help"], { encoding: "utf8", timeout: 120_000 });
  const help = `${r.stdout}${r.stderr}`;
  if (r.status !== 0 || !help.includes("--format")) return `\`jmoq sub\` is not available yet (exit ${r.status})`;
  return help.includes("hex_lines") || help.includes("hex-lines") ? null : "`jmoq sub` has no hex line format";
}
const javaSkip = javaSubAvailable();
const hexFormat = () => (spawnSync(relay.jmoq, ["sub", "--help"], { encoding: "utf8" }).stdout.includes("hex-lines") ? "hex-lines" : "hex_lines");

/** Runs `jmoq sub` over raw QUIC until it printed `frames` frames; resolves with its output lines. */
function javaSub(path, frames, ms) {
  const args = ["sub", "--url", `moqt://127.0.0.1:${relay.port}/`, "--broadcast", path, "--track", "video",
    "--insecure", "--format", hexFormat(), "--frames", String(frames)];
  return new Promise((resolve, reject) => {
    const p = spawn(relay.jmoq, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`jmoq ${args.join(" ")}: no ${frames} frames within ${ms} ms\nstdout tail: ${out.slice(-500)}\nstderr: ${err.slice(-1500)}`));
    }, ms);
    p.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`jmoq sub exited ${code}\nstderr: ${err.slice(-1500)}`));
      else resolve({ lines: out.split("\n").filter(Boolean), stderr: err });
    });
  });
}

/**
 * Checks hex lines "<group> <frame> <hex>" (groups arrive on their own streams, so their lines may
 * interleave): within a group the frames are in order; the groups that were received whole form a
 * consecutive range of at least 3; every frame is byte-identical. A group cut short by --frames at the end
 * is ignored.
 */
function checkJavaLines(tag, lines) {
  const groups = new Map();
  for (const [k, line] of lines.entries()) {
    const [g, f, hex = ""] = line.split(" ");
    const seq = Number(g);
    if (!groups.has(seq)) groups.set(seq, []);
    const frames = groups.get(seq);
    assert.equal(Number(f), frames.length, `Java line ${k}: group ${g} frame ${f} out of order (had ${frames.length})`);
    assert.equal(hex, toHex(frameBytes(tag, seq, frames.length, MAX)), `Java: group ${g} frame ${f} differs`);
    frames.push(hex);
  }
  const whole = [...groups.keys()].filter((g) => groups.get(g).length === FRAMES).sort((a, b) => a - b);
  assert.ok(whole.length >= 3, `Java received ${whole.length} whole groups: ${[...groups.entries()].map(([g, f]) => `${g}:${f.length}`).join(" ")}`);
  for (let i = 1; i < whole.length; i++) {
    assert.equal(whole[i], whole[i - 1] + 1, `Java: whole groups not consecutive: ${whole.join(",")}`);
  }
  return { first: whole[0], last: whole[whole.length - 1] };
}

let browser;
before(async () => {
  browser = await openPage();
});
after(async () => {
  await browser?.close();
});

for (const transport of ["webtransport", "websocket"]) {
  test(`Chromium @moq/net over ${transport} publishes; Node @moq/lite (WebSocket) and Java (QUIC) receive it`, async (t) => {
    await withContext(t, async () => {
      const path = `e2e/c/${transport}-${process.pid}`;
      const tag = `${path}/video`;
      const desc = await browser.page.evaluate((a) => window.e2e.startPublishing(a), {
        lib: "@moq/net", transport, relayUrl: relay.url, relayProtocols: relay.protocols, path, frames: FRAMES, maxSize: MAX,
      });
      t.diagnostic(`Chromium publisher: ${desc}`);
      const node = await within(10_000, "Node subscriber connect", clients["@moq/lite"].connect(relay.url));
      try {
        t.diagnostic(`Node subscriber: ${node.describe()}`);
        await waitAnnounced(node, path);
        const drain = new Drain(node.subscribe(path, "video"), "Node subscriber");
        const java = javaSkip ? undefined : javaSub(path, FRAMES * (JAVA_GROUPS + 2), 60_000);
        if (javaSkip) t.diagnostic(`Java subscriber skipped: ${javaSkip}`);
        await drain.until(30_000, "a first group", (d) => d.order.length > 0);
        let javaResult;
        if (java) {
          const { lines, stderr } = await java;
          javaResult = checkJavaLines(tag, lines);
          t.diagnostic(`Java subscriber: ${stderr.split("\n").find((l) => l.startsWith("connected")) ?? "?"}; groups ${javaResult.first}..${javaResult.last} byte-identical`);
        }
        const first = Math.min(...drain.order);
        const through = Math.max(javaResult?.last ?? 0, first + 4);
        await drain.until(30_000, `groups ${first}..${through}`, (d) => d.check(tag, first, through, FRAMES, MAX) === null);
        t.diagnostic(`Node subscriber: groups ${first}..${through} byte-identical`);
        if (javaResult) {
          // Same time: the two subscribers' ranges overlap.
          assert.ok(javaResult.first <= through && javaResult.last >= first, "the Java and Node subscribers did not receive overlapping groups");
        }
      } finally {
        await browser.page.evaluate((p) => window.e2e.stopPublishing(p), path).catch(() => {});
        await closeAll(node);
      }
    });
  });
}
