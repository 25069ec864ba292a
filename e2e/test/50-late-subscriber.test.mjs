// (e) A late subscriber starts at the current group: groups are published continuously and an early
// subscriber keeps the relay's cache warm; a subscriber that joins while group L is half written must
// first receive group L (the newest at join time, not an older cached one), from its first frame, byte
// for byte, and then the following groups.

import assert from "node:assert/strict";
import { test } from "node:test";
import { relay, withContext } from "../lib/env.mjs";
import { frameBytes, groupFrames } from "../lib/frames.mjs";
import { clients } from "../lib/moq.mjs";
import { closeAll, Drain, receiveGroups, summarize, waitAnnounced } from "../lib/scenario.mjs";
import { sleep, within } from "../lib/util.mjs";

const FRAMES = 5;
const MAX = 16384;

for (const [key, client] of Object.entries(clients)) {
  test(`${client.name}: a late subscriber first receives the group in progress at join time, from frame 0`, async (t) => {
    await withContext(t, async () => {
      const path = `e2e/e/${key.slice(5)}-${process.pid}`;
      const tag = `${path}/video`;
      const pubConn = await within(10_000, "publisher connect", client.connect(relay.url));
      const earlyConn = await within(10_000, "early subscriber connect", client.connect(relay.url));
      const lateConn = await within(10_000, "late subscriber connect", client.connect(relay.url));
      t.diagnostic(`${pubConn.describe()}`);
      const pub = pubConn.publish(path, "video");
      let early;
      let late;
      try {
        await waitAnnounced(earlyConn, path);
        early = earlyConn.subscribe(path, "video");
        // Whole groups until the early subscriber has received several (the relay now caches them).
        // The early subscriber reads everything as it arrives, so it never lags.
        const drain = new Drain(early, "early subscriber");
        let written = 0;
        let firstSeen;
        for (let i = 0; i < 200; i++) {
          pub.writeGroup(groupFrames(tag, written++, FRAMES, MAX));
          await sleep(40);
          firstSeen ??= drain.order[0];
          if (firstSeen !== undefined && drain.check(tag, firstSeen, firstSeen + 3, FRAMES, MAX) === null) break;
        }
        await drain.until(10_000, "four whole groups", (d) => d.order.length > 0 && d.check(tag, d.order[0], d.order[0] + 3, FRAMES, MAX) === null);
        t.diagnostic(`early subscriber received ${summarize(drain.order)}`);

        // Open group L and write two of its frames; nothing newer is published until the late
        // subscriber has received group L.
        const g = pub.openGroup();
        const L = g.sequence;
        assert.equal(L, written, "the publisher's sequences are consecutive");
        g.write(frameBytes(tag, L, 0, MAX));
        g.write(frameBytes(tag, L, 1, MAX));
        // Precondition: the relay forwards group L's first frames (to the early subscriber).
        await drain.until(10_000, `frames 0 and 1 of group ${L}`, (d) => (d.groups.get(L)?.frames.length ?? 0) >= 2);
        assert.deepEqual(drain.groups.get(L).frames.slice(0, 2), [frameBytes(tag, L, 0, MAX), frameBytes(tag, L, 1, MAX)]);
        t.diagnostic(`the early subscriber received frames 0 and 1 of the open group ${L}`);

        await waitAnnounced(lateConn, path);
        late = lateConn.subscribe(path, "video");
        const firstPromise = late.nextGroup();
        let firstGroup;
        try {
          firstGroup = await within(10_000, `late subscriber's first group (expected ${L})`, firstPromise);
        } catch (e) {
          // Say what the relay does instead: finish group L, start L+1, and see what arrives.
          for (let i = 2; i < FRAMES; i++) g.write(frameBytes(tag, L, i, MAX));
          g.close();
          pub.writeGroup(groupFrames(tag, L + 1, FRAMES, MAX));
          const after = await within(10_000, "late subscriber's first group after the next one started", firstPromise).catch(() => undefined);
          throw new Error(
            `the late subscriber joined while group ${L} was open with frames 0-1 (the early subscriber had them) ` +
              `and received no group within 10 s; after group ${L} was finished and ${L + 1} written, its first group was ` +
              `${after ? after.sequence : "still nothing"}`,
            { cause: e },
          );
        }
        assert.ok(firstGroup, "the late subscriber's track ended before any group");
        assert.equal(firstGroup.sequence, L, `the late subscriber must start at the group in progress (${L}), not ${firstGroup.sequence}`);
        const f0 = await within(10_000, "frame 0 of the current group", firstGroup.readFrame());
        const f1 = await within(10_000, "frame 1 of the current group", firstGroup.readFrame());
        assert.deepEqual(f0, frameBytes(tag, L, 0, MAX), "frame 0 of the current group differs");
        assert.deepEqual(f1, frameBytes(tag, L, 1, MAX), "frame 1 of the current group differs");

        // Finish group L and continue: the late subscriber gets the rest of L, then L+1, L+2.
        for (let i = 2; i < FRAMES; i++) g.write(frameBytes(tag, L, i, MAX));
        g.close();
        for (let i = 2; i < FRAMES; i++) {
          const f = await within(10_000, `frame ${i} of group ${L}`, firstGroup.readFrame());
          assert.deepEqual(f, frameBytes(tag, L, i, MAX), `frame ${i} of group ${L} differs`);
        }
        assert.equal(await within(10_000, `end of group ${L}`, firstGroup.readFrame()), undefined, `group ${L} has extra frames`);

        const nextGroups = receiveGroups(late, { tag, frames: FRAMES, maxSize: MAX, count: 2, label: "late subscriber" });
        let done;
        void nextGroups.then((v) => (done = v), () => {});
        for (let i = 0; i < 200 && done === undefined; i++) {
          pub.writeGroup(groupFrames(tag, L + 1 + i, FRAMES, MAX));
          await sleep(40);
        }
        const rest = await nextGroups;
        assert.equal(rest.first, L + 1, `after group ${L} the late subscriber must receive ${L + 1}, got ${rest.first}`);
        t.diagnostic(`late subscriber: group ${L} (joined after frame 1), then ${rest.first}..${rest.last}`);
      } finally {
        early?.close();
        late?.close();
        pub.close();
        await closeAll(pubConn, earlyConn, lateConn);
      }
    });
  });
}
