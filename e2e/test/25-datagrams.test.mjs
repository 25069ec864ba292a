// moq-lite-05 datagrams with @moq/net 0.3.4 in Chromium (draft-lcurley-moq-lite-05, "Datagrams"): its
// publisher's Track.appendDatagram sends one-frame groups as datagrams over WebTransport; the relay takes
// them into the model as datagram groups and
//  - to a subscriber over WebTransport forwards them as datagrams, which @moq/net reads with recvDatagram;
//  - to a subscriber over WebSocket (a Qmux binding, where a publisher must not send datagrams) delivers
//    them as one-frame group streams.
// The relay's datagram counters (admin /metrics) must move. (@moq/net over WebSocket sends and reads no
// datagrams in practice: it samples the qmux datagram size when its connection is created, before the
// relay's transport parameters arrive; see docs/transport-websocket.md.)

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openPage } from "../lib/browser.mjs";
import { relay, withContext } from "../lib/env.mjs";

const adminPort = process.env.RELAY_ADMIN_PORT;

async function counter(name) {
  const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  assert.ok(line, `no ${name} in the relay's metrics`);
  return Number(line.trim().split(/\s+/).pop());
}

async function datagramMetrics() {
  const text = await (await fetch(`http://127.0.0.1:${adminPort}/metrics`)).text();
  return text.split("\n").filter((l) => /^jmoq_(ingress|egress)_(datagram|groups)/.test(l)).join("; ");
}

const path = (what) => `e2e/dgram/${what}-${process.pid}`;

let browser;
before(async () => {
  browser = await openPage();
});
after(async () => {
  await browser?.close();
});

for (const subTransport of ["webtransport", "websocket"]) {
  const via = subTransport === "webtransport" ? "datagram" : "group";
  test(`Chromium @moq/net, publisher over WebTransport, subscriber over ${subTransport}: datagrams in, ${via === "datagram" ? "datagrams" : "group streams"} out`, async (t) => {
    const mark = browser.pageLog.length;
    try {
      await withContext(t, async () => {
        assert.ok(await browser.page.evaluate(() => window.e2e.hasWebTransport()), "Chromium has no WebTransport");
        const inBefore = await counter("jmoq_ingress_datagrams_total");
        const outBefore = await counter("jmoq_egress_datagrams_total");
        const r = await browser.page.evaluate((args) => window.e2e.datagrams(args), {
          pubTransport: "webtransport",
          subTransport,
          relayUrl: relay.url,
          relayProtocols: relay.protocols,
          path: path(`chromium-${subTransport}`),
          via,
        });
        const inAfter = await counter("jmoq_ingress_datagrams_total");
        const outAfter = await counter("jmoq_egress_datagrams_total");
        t.diagnostic(`publisher: ${r.publisher}`);
        t.diagnostic(`subscriber: ${r.subscriber}`);
        t.diagnostic(`sent ${r.sent} datagrams, received (${via}): ${r.received.map((x) => x.sequence).join(",")}; relay datagrams in ${inBefore} -> ${inAfter}, out ${outBefore} -> ${outAfter}`);
        assert.ok(r.complete, `five arrived; relay: ${await datagramMetrics()}`);
        assert.match(r.publisher, /version=moq-lite-05/);
        assert.match(r.publisher, /transport=webtransport/);
        assert.match(r.subscriber, new RegExp(`transport=${subTransport}`));
        assert.match(r.subscriber, /version=moq-lite-05/);
        assert.ok(inAfter - inBefore >= 5, `the relay received datagrams: ${inBefore} -> ${inAfter}`);
        if (via === "datagram") {
          assert.ok(outAfter - outBefore >= 5, `the relay sent datagrams: ${outBefore} -> ${outAfter}`);
        }
      });
    } catch (e) {
      e.message += `\n--- page console ---\n${browser.pageLog.slice(mark).slice(-30).join("\n")}`;
      throw e;
    }
  });
}
