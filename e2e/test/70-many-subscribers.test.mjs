// (g) 200 concurrent subscribers (100 @moq/lite and 100 @moq/net connections over WebSocket, in this
// process) on one broadcast all receive every group, byte for byte, from the first group each of them
// received through a group published after all of them had joined.

import assert from "node:assert/strict";
import { test } from "node:test";
import { relay, withContext } from "../lib/env.mjs";
import { clients } from "../lib/moq.mjs";
import { closeAll, Drain, Pump, waitAnnounced } from "../lib/scenario.mjs";
import { within } from "../lib/util.mjs";

const SUBSCRIBERS = 200;
const FRAMES = 3;
const MAX = 1200;
const MORE = 20;

test(`${SUBSCRIBERS} concurrent subscribers on one broadcast all receive every group`, { timeout: 240_000 }, async (t) => {
  await withContext(t, async () => {
    const path = `e2e/g/fanout-${process.pid}`;
    const tag = `${path}/video`;
    const pubConn = await within(10_000, "publisher connect", clients["@moq/net"].connect(relay.url));
    const pub = pubConn.publish(path, "video");
    const pump = new Pump(pub, { tag, frames: FRAMES, maxSize: MAX, intervalMs: 50, maxGroups: 3000 });
    const conns = [];
    const drains = [];
    try {
      const libs = Object.keys(clients);
      // Connect in batches of 20 (each waits for the announcement, then subscribes).
      for (let i = 0; i < SUBSCRIBERS; i += 20) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(20, SUBSCRIBERS - i) }, async (_, j) => {
            const lib = libs[(i + j) % libs.length];
            const c = await within(20_000, `subscriber ${i + j} connect`, clients[lib].connect(relay.url));
            conns.push(c);
            await waitAnnounced(c, path, true, 20_000);
            return new Drain(c.subscribe(path, "video"), `subscriber ${i + j} (${c.library} ${c.version})`);
          }),
        );
        drains.push(...batch);
        if (i === 0) pump.start();
      }
      const versions = new Set(conns.map((c) => `${c.library} ${c.version} ${c.subprotocol}`));
      t.diagnostic(`${conns.length} subscriber connections: ${[...versions].join("; ")}`);

      // Every subscriber has its first group; then MORE groups after the last joined.
      await Promise.all(drains.map((d) => d.until(30_000, "a first group", (x) => x.order.length > 0)));
      const target = pump.lastSequence + MORE;
      await Promise.all(
        drains.map((d) =>
          d.until(60_000, `every group through ${target}`, (x) => x.check(tag, Math.min(...x.order), target, FRAMES, MAX) === null),
        ),
      );
      for (const d of drains) {
        assert.equal(d.ended, undefined, `${d.label}: track ended early`);
        assert.equal(d.check(tag, Math.min(...d.order), target, FRAMES, MAX), null);
      }
      const firsts = drains.map((d) => Math.min(...d.order));
      t.diagnostic(`all ${drains.length} received every group from their first (${Math.min(...firsts)}..${Math.max(...firsts)}) through ${target}`);
    } finally {
      pump.stop();
      pub.close();
      await closeAll(conns, pubConn);
    }
  });
});
