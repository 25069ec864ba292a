// (a) @moq/lite 0.2.2 and @moq/net 0.3.4 in Node 24 over WebSocket: for the client's default offer and
// for every single WebSocket subprotocol it can offer (moq-lite and IETF moq-transport `moqt-NN` alike),
// one connection publishes a broadcast with a track of multi-frame groups and another receives them byte
// for byte.

import assert from "node:assert/strict";
import { test } from "node:test";
import { relay, withContext } from "../lib/env.mjs";
import { clients, relayAccepts } from "../lib/moq.mjs";
import { sockets } from "../lib/offer.mjs";
import { closeAll, roundTrip } from "../lib/scenario.mjs";
import { within } from "../lib/util.mjs";

let unique = 0;
const path = (what) => `e2e/a/${what}-${process.pid}-${unique++}`;

for (const [key, client] of Object.entries(clients)) {
  test(`${client.name} over WebSocket, the client's own connect() and offer`, async (t) => {
    await withContext(t, async () => {
      const before = sockets.length;
      const pubConn = await within(10_000, "publisher connect", client.connect(relay.url));
      const subConn = await within(10_000, "subscriber connect", client.connect(relay.url));
      try {
        t.diagnostic(`publisher: ${pubConn.describe()}`);
        t.diagnostic(`subscriber: ${subConn.describe()}`);
        assert.equal(pubConn.transport, "websocket");
        // What the client offered is what this suite enumerates below, so the per-subprotocol tests
        // cover all of it.
        const offered = sockets[before]?.offered;
        assert.deepEqual(offered, client.webSocketOffer(relay.url));
        t.diagnostic(`offered: ${offered.join(" ")}`);
        const r = await roundTrip(pubConn, subConn, { path: path(key.slice(5)), count: 6 });
        t.diagnostic(`received groups ${r.first}..${r.last} byte-identical`);
      } finally {
        await closeAll(pubConn, subConn);
      }
    });
  });

  test(`${client.name} over WebSocket, each offered subprotocol alone`, async (t) => {
    for (const subprotocol of client.webSocketOffer(relay.url)) {
      const supported = relayAccepts(subprotocol, relay.protocols);
      await t.test(
        `offer only ${subprotocol}`,
        { skip: supported ? false : `the relay offers ${relay.protocols.join(",")}, not ${subprotocol.split(".")[1]}` },
        async (tt) => {
          await withContext(tt, async () => {
            const pubConn = await within(10_000, "publisher connect", client.connect(relay.url, { offer: subprotocol }));
            const subConn = await within(10_000, "subscriber connect", client.connect(relay.url, { offer: subprotocol }));
            try {
              tt.diagnostic(`negotiated: ${pubConn.describe()}`);
              assert.equal(pubConn.subprotocol, subprotocol, "the relay must select the only subprotocol offered");
              assert.equal(subConn.subprotocol, subprotocol);
              const alpn = subprotocol.split(".")[1];
              if (alpn?.startsWith("moqt-")) {
                // An IETF moq-transport draft: the client names the session by its draft.
                assert.equal(pubConn.version, `moq-transport-${alpn.slice(5)}`);
              } else if (alpn && alpn !== "moql") {
                // An ALPN-negotiated moq-lite draft is the session's version.
                assert.equal(pubConn.version, alpn);
              } else {
                // Bare framings and moql negotiate with SETUP: a moq-lite draft the relay speaks.
                assert.match(pubConn.version, /^moq-lite-0[12]$/);
              }
              const r = await roundTrip(pubConn, subConn, { path: path(subprotocol), count: 4 });
              tt.diagnostic(`received groups ${r.first}..${r.last} byte-identical`);
            } finally {
              await closeAll(pubConn, subConn);
            }
          });
        },
      );
    }
  });
}
