// (d) Announcements by prefix: a subscriber watching a prefix sees a broadcast become active when it is
// published, and inactive when its publisher stops it (closes the broadcast) or disconnects; broadcasts
// outside the prefix (including one whose name merely starts with the same characters) are not shown.

import assert from "node:assert/strict";
import { test } from "node:test";
import { relay, withContext } from "../lib/env.mjs";
import { clients } from "../lib/moq.mjs";
import { closeAll } from "../lib/scenario.mjs";
import { within } from "../lib/util.mjs";

/** Reads announcements until one matches, collecting all; fails on any path outside the prefix. */
async function expectAnnouncement(ann, prefix, path, active, seen) {
  for (let i = 0; i < 50; i++) {
    const e = await within(10_000, `announcement ${path} active=${active} (seen so far ${JSON.stringify(seen)})`, ann.next());
    assert.ok(e, `the announcement stream ended before ${path} active=${active}; seen ${JSON.stringify(seen)}`);
    seen.push(e);
    assert.ok(e.path === prefix || e.path.startsWith(`${prefix}/`), `announced ${e.path} is outside the prefix ${prefix}`);
    if (e.path === path && e.active === active) return;
  }
  assert.fail(`no ${path} active=${active} among ${JSON.stringify(seen)}`);
}

for (const [key, client] of Object.entries(clients)) {
  test(`${client.name}: announced(prefix) shows a broadcast active, then inactive when the publisher stops it or disconnects`, async (t) => {
    await withContext(t, async () => {
      const prefix = `e2e/d/${key.slice(5)}-${process.pid}`;
      const watcher = await within(10_000, "watcher connect", client.connect(relay.url));
      const pubA = await within(10_000, "publisher A connect", client.connect(relay.url));
      const pubB = await within(10_000, "publisher B connect", client.connect(relay.url));
      const outside = await within(10_000, "outside publisher connect", client.connect(relay.url));
      t.diagnostic(`watcher: ${watcher.describe()}`);
      const seen = [];
      const ann = watcher.announced(prefix);
      try {
        // Outside the prefix: same leading characters, different path segment.
        const o = outside.publish(`${prefix}-sibling/x`, "data");
        const a = pubA.publish(`${prefix}/alice`, "data");
        await expectAnnouncement(ann, prefix, `${prefix}/alice`, true, seen);
        const b = pubB.publish(`${prefix}/room/bob`, "data");
        await expectAnnouncement(ann, prefix, `${prefix}/room/bob`, true, seen);

        // The publisher stops the broadcast: it becomes inactive.
        a.close();
        await expectAnnouncement(ann, prefix, `${prefix}/alice`, false, seen);

        // The publisher disconnects without unpublishing: the relay must withdraw it.
        pubB.close();
        await expectAnnouncement(ann, prefix, `${prefix}/room/bob`, false, seen);
        t.diagnostic(`announcements: ${seen.map((e) => `${e.path}=${e.active ? "active" : "ended"}`).join(" ")}`);
        assert.ok(!seen.some((e) => e.path.includes("-sibling")), "a sibling outside the prefix was announced");
        o.close();
      } finally {
        ann.close();
        await closeAll(watcher, pubA, pubB, outside);
      }
    });
  });

  test(`${client.name}: a watcher that starts after a broadcast is published sees it active at once`, async (t) => {
    await withContext(t, async () => {
      const prefix = `e2e/d/late-${key.slice(5)}-${process.pid}`;
      const pub = await within(10_000, "publisher connect", client.connect(relay.url));
      const prober = await within(10_000, "prober connect", client.connect(relay.url));
      const seen = [];
      let watcher;
      try {
        const p = pub.publish(`${prefix}/cam`, "data");
        // Another connection confirms the relay knows the broadcast before the late watcher starts.
        const probeSeen = [];
        const probe = prober.announced(prefix);
        await expectAnnouncement(probe, prefix, `${prefix}/cam`, true, probeSeen);
        probe.close();
        watcher = await within(10_000, "watcher connect", client.connect(relay.url));
        const ann = watcher.announced(prefix);
        await expectAnnouncement(ann, prefix, `${prefix}/cam`, true, seen);
        p.close();
        await expectAnnouncement(ann, prefix, `${prefix}/cam`, false, seen);
        ann.close();
      } finally {
        await closeAll(pub, prober, watcher);
      }
    });
  });
}
