// (c2) Mixed moq-lite drafts through one relay, in Node over WebSocket: a publisher on each of moq-lite-05
// (@moq/net), moq-lite-04 (@moq/net) and moq-lite-02 (@moq/lite, SETUP-negotiated) is received at the same
// time, byte for byte, by a moq-lite-02, a moq-lite-04 and a moq-lite-05 subscriber. The relay turns
// frames with timestamps (05) into frames without (02/04) and the reverse, and answers 05's TRACK.

import assert from "node:assert/strict";
import { test } from "node:test";
import { relay, withContext } from "../lib/env.mjs";
import { clients } from "../lib/moq.mjs";
import { closeAll, Pump, receiveGroups, waitAnnounced } from "../lib/scenario.mjs";
import { within } from "../lib/util.mjs";

const FRAMES = 4;
const MAX = 20_000;

/** How each endpoint connects: the library and the one subscriber offer it makes (none: its own offer). */
const ENDPOINTS = {
  "moq-lite-05": { lib: "@moq/net", offer: "qmux-02.moq-lite-05", version: /^moq-lite-05$/ },
  "moq-lite-04": { lib: "@moq/net", offer: "qmux-02.moq-lite-04", version: /^moq-lite-04$/ },
  "moq-lite-02": { lib: "@moq/lite", offer: undefined, version: /^moq-lite-0[12]$/ },
};

async function connect(name) {
  const e = ENDPOINTS[name];
  const conn = await within(10_000, `${name} connect`, clients[e.lib].connect(relay.url, e.offer ? { offer: e.offer } : {}));
  assert.match(conn.version, e.version, `${name}: negotiated ${conn.describe()}`);
  return conn;
}

for (const publisher of Object.keys(ENDPOINTS)) {
  test(`a ${publisher} publisher reaches moq-lite-02, -04 and -05 subscribers at once, byte-identical`, async (t) => {
    await withContext(t, async () => {
      const path = `e2e/c2/${publisher}-${process.pid}`;
      const track = "video";
      const tag = `${path}/${track}`;
      const pubConn = await connect(publisher);
      const subs = [];
      let pump;
      let pub;
      try {
        t.diagnostic(`publisher: ${pubConn.describe()}`);
        for (const name of Object.keys(ENDPOINTS)) subs.push({ name, conn: await connect(name) });
        pub = pubConn.publish(path, track);
        pump = new Pump(pub, { tag, frames: FRAMES, maxSize: MAX });
        const tracks = [];
        for (const s of subs) {
          await waitAnnounced(s.conn, path);
          tracks.push({ ...s, sub: s.conn.subscribe(path, track) });
        }
        pump.start();
        const results = await Promise.all(tracks.map((s) =>
          receiveGroups(s.sub, { tag, frames: FRAMES, maxSize: MAX, count: 5, ms: 30_000, label: s.conn.describe() })));
        for (const [i, r] of results.entries()) {
          t.diagnostic(`${tracks[i].conn.describe()}: groups ${r.first}..${r.last} byte-identical`);
        }
        // At once: every subscriber's range overlaps every other's.
        const lo = Math.max(...results.map((r) => r.first));
        const hi = Math.min(...results.map((r) => r.last));
        assert.ok(lo <= hi, `the subscribers did not receive overlapping groups: ${results.map((r) => `${r.first}..${r.last}`).join(" ")}`);
        for (const s of tracks) s.sub.close();
      } finally {
        pump?.stop();
        pub?.close();
        await closeAll(pubConn, ...subs.map((s) => s.conn));
      }
    });
  });
}
