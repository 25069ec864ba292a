// (f) A publisher that disconnects mid-group (its process is killed: no unsubscribe, no close) ends its
// track for subscribers (the subscription ends or fails; the unfinished group is not passed off as
// complete), while another broadcast on the same relay keeps flowing to its subscriber without a gap.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { relay, withContext } from "../lib/env.mjs";
import { clients } from "../lib/moq.mjs";
import { closeAll, Drain, Pump, waitAnnounced } from "../lib/scenario.mjs";
import { within } from "../lib/util.mjs";

const FRAMES = 4;
const MAX = 8192;
const child = fileURLToPath(new URL("./helpers/publisher-child.mjs", import.meta.url));

function startChild(lib, path) {
  const proc = spawn(process.execPath, [child, lib, relay.url, path, "video", String(FRAMES), String(MAX)], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = [];
  const waiters = [];
  createInterface({ input: proc.stdout }).on("line", (line) => {
    lines.push(line);
    for (const w of [...waiters]) w();
  });
  const waitLine = (prefix, ms) =>
    within(ms, `publisher process line "${prefix}..."`, new Promise((resolve, reject) => {
      const check = () => {
        const l = lines.find((x) => x.startsWith(prefix));
        if (l) resolve(l);
        else if (proc.exitCode !== null) reject(new Error(`publisher process exited ${proc.exitCode}`));
      };
      waiters.push(check);
      check();
    }));
  return { proc, lines, waitLine };
}

for (const [key, client] of Object.entries(clients)) {
  test(`${client.name}: a publisher killed mid-group ends its track; another broadcast keeps flowing`, async (t) => {
    await withContext(t, async () => {
      const base = `e2e/f/${key.slice(5)}-${process.pid}`;
      const doomed = `${base}/doomed`;
      const steady = `${base}/steady`;
      const c = startChild(key, doomed);
      const steadyPub = await within(10_000, "steady publisher connect", client.connect(relay.url));
      const sub1Conn = await within(10_000, "subscriber 1 connect", client.connect(relay.url));
      const sub2Conn = await within(10_000, "subscriber 2 connect", client.connect(relay.url));
      const pub = steadyPub.publish(steady, "video");
      const pump = new Pump(pub, { tag: `${steady}/video`, frames: FRAMES, maxSize: MAX }).start();
      try {
        t.diagnostic(`killed publisher: ${(await c.waitLine("ready", 15_000)).slice(6)}`);
        t.diagnostic(`steady publisher: ${steadyPub.describe()}`);
        await waitAnnounced(sub1Conn, doomed);
        await waitAnnounced(sub2Conn, steady);
        const d1 = new Drain(sub1Conn.subscribe(doomed, "video"), "subscriber of the killed publisher");
        const d2 = new Drain(sub2Conn.subscribe(steady, "video"), "subscriber of the steady broadcast");
        await d1.until(15_000, "three whole groups", (d) => d.order.length > 0 && d.check(`${doomed}/video`, d.order[0], d.order[0] + 2, FRAMES, MAX) === null);
        await d2.until(15_000, "three whole groups", (d) => d.order.length > 0 && d.check(`${steady}/video`, d.order[0], d.order[0] + 2, FRAMES, MAX) === null);

        c.proc.stdin.write("midgroup\n");
        const mid = Number((await c.waitLine("mid ", 10_000)).split(" ")[1]);
        // Give the two frames time to travel, then kill the publisher without any goodbye.
        await d1.until(10_000, `frames of the unfinished group ${mid}`, (d) => (d.groups.get(mid)?.frames.length ?? 0) >= 2).catch((e) =>
          t.diagnostic(`note: ${e.message.split("\n")[0]}`),
        );
        c.proc.kill("SIGKILL");
        const killedAt = pump.lastSequence;

        const ended = await d1.until(20_000, "the track to end or fail after the publisher was killed", (d) => d.ended);
        t.diagnostic(`subscriber of the killed publisher: track ${ended === "end" ? "ended" : `failed (${ended})`}; groups ${d1.order.join(",")}`);
        const partial = d1.groups.get(mid);
        if (partial) {
          await d1.until(10_000, `group ${mid} to end`, () => partial.done || partial.error);
          assert.ok(!(partial.done && partial.frames.length < FRAMES),
            `the unfinished group ${mid} was delivered as complete with ${partial.frames.length} of ${FRAMES} frames`);
          t.diagnostic(`unfinished group ${mid}: ${partial.frames.length} frames, ${partial.error ? `failed (${partial.error})` : "open"}`);
        }

        // The other broadcast is undisturbed: five more whole groups after the kill, no gap since its start.
        await d2.until(20_000, `groups through ${killedAt + 5}`, (d) => d.check(`${steady}/video`, d.order[0], killedAt + 5, FRAMES, MAX) === null);
        t.diagnostic(`steady broadcast: groups ${d2.order[0]}..${killedAt + 5} complete and byte-identical`);
      } finally {
        pump.stop();
        c.proc.kill("SIGKILL");
        pub.close();
        await closeAll(steadyPub, sub1Conn, sub2Conn);
      }
    });
  });
}
