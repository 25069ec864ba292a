// (b) Headless Chromium loads a page (served from 127.0.0.1) with @moq/lite and @moq/net bundled by
// esbuild; each client connects over WebTransport (the client fetches /certificate.sha256 and dials with
// serverCertificateHashes; the connection must really be WebTransport) and over WebSocket, publishes and
// subscribes, and receives its groups byte for byte.

import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { openPage } from "../lib/browser.mjs";
import { relay, withContext } from "../lib/env.mjs";

let browser;
before(async () => {
  browser = await openPage();
});
after(async () => {
  await browser?.close();
});

for (const lib of ["@moq/lite", "@moq/net"]) {
  for (const transport of ["webtransport", "websocket"]) {
    test(`Chromium ${lib} over ${transport}: publish and subscribe`, async (t) => {
      t.diagnostic(`browser: ${browser.version}`);
      const mark = browser.pageLog.length;
      try {
        await withContext(t, async () => {
          if (transport === "webtransport") assert.ok(await browser.page.evaluate(() => window.e2e.hasWebTransport()), "Chromium has no WebTransport");
          const r = await browser.page.evaluate((args) => window.e2e.pubsub(args), {
            lib,
            transport,
            relayUrl: relay.url,
            relayProtocols: relay.protocols,
            path: `e2e/b/${lib.slice(5)}-${transport}-${process.pid}`,
          });
          t.diagnostic(`publisher: ${r.publisher}`);
          t.diagnostic(`subscriber: ${r.subscriber}`);
          t.diagnostic(`received groups ${r.first}..${r.last} byte-identical`);
          assert.match(r.publisher, new RegExp(`transport=${transport}`));
        });
      } catch (e) {
        e.message += `\n--- page console ---\n${browser.pageLog.slice(mark).slice(-30).join("\n")}`;
        throw e;
      }
    });
  }
}

// IETF moq-transport from the browser: @moq/net over WebTransport offering a single moqt draft (the
// relay picks it from WT-Available-Protocols), publish and subscribe through the relay. (@moq/net does
// not offer draft 14's moq-00 over WebTransport.)
for (const protocol of ["moqt-20", "moqt-18", "moqt-16"]) {
  test(`Chromium @moq/net over WebTransport forcing ${protocol}: publish and subscribe`, async (t) => {
    const mark = browser.pageLog.length;
    try {
      await withContext(t, async () => {
        assert.ok(await browser.page.evaluate(() => window.e2e.hasWebTransport()), "Chromium has no WebTransport");
        const r = await browser.page.evaluate((args) => window.e2e.pubsub(args), {
          lib: "@moq/net",
          transport: "webtransport",
          relayUrl: relay.url,
          relayProtocols: relay.protocols,
          webtransportProtocols: [protocol],
          path: `e2e/b/ietf-${protocol}-${process.pid}`,
        });
        t.diagnostic(`publisher: ${r.publisher}`);
        t.diagnostic(`received groups ${r.first}..${r.last} byte-identical`);
        assert.match(r.publisher, new RegExp(`version=moq-transport-${protocol.slice(5)}`));
        assert.match(r.publisher, /transport=webtransport/);
      });
    } catch (e) {
      e.message += `\n--- page console ---\n${browser.pageLog.slice(mark).slice(-30).join("\n")}`;
      throw e;
    }
  });
}
