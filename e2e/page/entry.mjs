// The Chromium page's script (bundled by esbuild with @moq/lite and @moq/net): exposes window.e2e, whose
// functions the Node tests call through puppeteer. Same adapters and checks as the Node tests.
import { diffGroup, frameBytes, groupFrames } from "../lib/frames.mjs";
import { clients, relayAccepts } from "../lib/moq.mjs";
import { Drain, Pump, datagramRoundTrip, receiveGroups, roundTrip, waitAnnounced } from "../lib/scenario.mjs";
import { within } from "../lib/util.mjs";
import { CASES, runCase } from "../lib/interop-cases.mjs";

const publishers = new Map();

/** Connect options for one transport: WebTransport as the client does it, or WebSocket offering the client's first subprotocol the relay accepts. */
function connectOptions(lib, transport, relayUrl, relayProtocols, webtransportProtocols) {
  if (transport === "webtransport") return { transport: "webtransport", webtransportProtocols };
  const offer = clients[lib].webSocketOffer(relayUrl).find((p) => relayAccepts(p, relayProtocols));
  return { offer };
}

async function connect(lib, transport, relayUrl, relayProtocols, webtransportProtocols) {
  let c;
  try {
    c = await within(15_000, `${lib} ${transport} connect`, clients[lib].connect(relayUrl, connectOptions(lib, transport, relayUrl, relayProtocols, webtransportProtocols)));
  } catch (e) {
    // The clients race transports with Promise.any: name each transport's own failure.
    const parts = e instanceof AggregateError ? e.errors.map((x) => `${x?.name}: ${x?.message}`) : [`${e?.name}: ${e?.message}`];
    throw new Error(`${lib} ${transport} connect to ${relayUrl} failed: ${parts.join("; ")}`);
  }
  if (c.transport !== transport) throw new Error(`${lib}: asked for ${transport}, connected over ${c.transport}`);
  return c;
}

window.e2e = {
  userAgent: () => navigator.userAgent,
  hasWebTransport: () => typeof WebTransport === "function",

  /**
   * (b) publish and subscribe inside the page, two connections over `transport` (over WebTransport
   * offering only `webtransportProtocols` when given, e.g. ["moqt-20"] to force an IETF draft).
   */
  async pubsub({ lib, transport, relayUrl, relayProtocols, path, webtransportProtocols }) {
    const pub = await connect(lib, transport, relayUrl, relayProtocols, webtransportProtocols);
    const sub = await connect(lib, transport, relayUrl, relayProtocols, webtransportProtocols);
    try {
      const r = await roundTrip(pub, sub, { path, count: 5 });
      return { publisher: pub.describe(), subscriber: sub.describe(), first: r.first, last: r.last };
    } finally {
      pub.close();
      sub.close();
    }
  },

  /**
   * moq-lite-05 datagrams with @moq/net: the publisher over `pubTransport` appends datagrams, the subscriber
   * over `subTransport` reads them (`via`: "datagram" or "group"; see datagramRoundTrip).
   */
  async datagrams({ pubTransport, subTransport, relayUrl, relayProtocols, path, via }) {
    const pub = await connect("@moq/net", pubTransport, relayUrl, relayProtocols);
    const sub = await connect("@moq/net", subTransport, relayUrl, relayProtocols);
    try {
      const r = await datagramRoundTrip(pub, sub, { path, via });
      return { publisher: pub.describe(), subscriber: sub.describe(), sent: r.sent, received: r.received, complete: r.complete };
    } finally {
      pub.close();
      sub.close();
    }
  },

  /** (c) start publishing `path`/video continuously; returns the connection's description. */
  async startPublishing({ lib, transport, relayUrl, relayProtocols, path, frames, maxSize }) {
    const conn = await connect(lib, transport, relayUrl, relayProtocols);
    const pub = conn.publish(path, "video");
    const pump = new Pump(pub, { tag: `${path}/video`, frames, maxSize, intervalMs: 50, maxGroups: 3000 }).start();
    publishers.set(path, { conn, pub, pump });
    return conn.describe();
  },

  /** The interop runner's cases with @moq/net over WebTransport offering only `protocol` (e.g. moqt-20, moq-00). */
  async interop({ relayUrl, protocol }) {
    const out = {};
    for (const [id] of CASES) {
      out[id] = await runCase(id, () => clients["@moq/net"].connect(relayUrl, { transport: "webtransport", webtransportProtocols: [protocol] }));
    }
    return out;
  },

  lastSequence: (path) => publishers.get(path)?.pump.lastSequence,

  stopPublishing(path) {
    const p = publishers.get(path);
    if (!p) return;
    p.pump.stop();
    p.pub.close();
    setTimeout(() => p.conn.close(), 100);
    publishers.delete(path);
  },
};
void [diffGroup, frameBytes, groupFrames, Drain, receiveGroups, waitAnnounced];
