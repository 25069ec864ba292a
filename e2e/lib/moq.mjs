// One small API over the two npm clients, so every scenario runs the same way against @moq/lite 0.2.2
// and @moq/net 0.3.4, in Node and in the Chromium page (esbuild bundles this file for the page).
//
//   const c = await clients["@moq/net"].connect(url, { offer: "qmux-00.moq-lite-04" });
//   c.version, c.transport, c.subprotocol
//   const pub = c.publish("room/a", "video"); pub.writeGroup(frames); pub.openGroup(); pub.close();
//   const sub = c.subscribe("room/a", "video"); const g = await sub.nextGroup(); await g.readAll();
//   const ann = c.announced("room/"); await ann.next() -> { path, active }
//
// Each client runs its own connect(): with `offer`, the WebSocket session is built by the test with the
// offer cut down to that one subprotocol and handed to connect() as `transport`; the handshake, version
// negotiation and everything after are the client's own code.

import * as Lite from "@moq/lite";
import LiteSession from "@moq/qmux";
import * as Net from "@moq/net";
// @moq/net 0.3.4 brings its own, newer @moq/qmux; its connect() recognises only that one's sessions.
import NetSession from "../node_modules/@moq/net/node_modules/@moq/qmux/index.js";
import { offerOf, sockets, withOffer } from "./offer.mjs";

/** The WebSocket constructor options @moq/net 0.3.4's connect() uses for its fallback (connect.js). */
const NET_WS_OPTIONS = {
  protocols: ["moq-lite-05", "moq-lite-04", "moq-lite-03", "moql", "moqt-20", "moqt-18", "moqt-17", "moqt-16", "moqt-15"],
  versions: {
    "moq-lite-05": null,
    "moq-lite-04": null,
    "moq-lite-03": null,
    moql: null,
    "moqt-20": "qmux-01",
    "moqt-18": "qmux-01",
    "moqt-17": null,
    "moqt-16": null,
    "moqt-15": null,
  },
};

function wsUrl(url) {
  const u = new URL(url);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  return u;
}

/** The one socket opened to `url` since `before`; undefined when none or several (concurrent connects). */
function newestSocketSince(before, url) {
  const host = new URL(url).host;
  const found = sockets.slice(before).filter((s) => new URL(s.url).host === host);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * Connect options: { offer?: string } restricts a WebSocket session to offering exactly that subprotocol;
 * { transport: "websocket" | "webtransport" } forces one transport through the client's own connect();
 * { webtransportProtocols?: string[] } restricts the WebTransport protocols offered.
 */
async function connectWith(lib, url, opts = {}) {
  url = new URL(url);
  const props = {};
  let subprotocol;
  let record;
  let kind;
  const before = sockets.length;
  if (opts.offer !== undefined) {
    const Session = lib === "lite" ? LiteSession : NetSession;
    const built = withOffer(
      (p) => p === opts.offer,
      () => (lib === "lite" ? new Session(wsUrl(url)) : new Session(wsUrl(url), NET_WS_OPTIONS)),
    );
    record = built.record;
    // As the clients' own connectWebSocket() does: the negotiated subprotocol is known once it is ready.
    await built.result.ready;
    props.transport = built.result;
    kind = "websocket";
  } else if (opts.transport === "websocket") {
    props.webtransport = undefined;
    if (globalThis.WebTransport) {
      // Both clients race WebTransport first when it exists; hide it for this connect only.
      throw new Error("use { offer } to force WebSocket where WebTransport exists");
    }
    kind = "websocket";
  } else if (opts.transport === "webtransport") {
    props.websocket = { enabled: false };
    if (opts.webtransportProtocols) props.webtransport = { protocols: opts.webtransportProtocols };
    kind = "webtransport";
  }
  const conn = lib === "lite" ? await Lite.Connection.connect(url, props) : await Net.Connection.connect(url, props);
  if (kind === undefined) {
    kind = conn.transport ?? (globalThis.WebTransport ? "unknown" : "websocket");
  }
  if (kind === "websocket") {
    record ??= newestSocketSince(before, url);
    subprotocol = record?.socket.protocol;
  } else if (kind === "webtransport") {
    const wt = conn.transport;
    subprotocol = opts.webtransportProtocols ? `webtransport(${opts.webtransportProtocols.join(",")})` : "webtransport";
    if (wt !== undefined && wt !== "webtransport") throw new Error(`expected webtransport, client reports ${wt}`);
  }
  return lib === "lite" ? liteConnection(conn, kind, subprotocol, record) : netConnection(conn, kind, subprotocol, record);
}

function describe(base) {
  return `${base.library} version=${base.version} transport=${base.transport} subprotocol=${base.subprotocol ?? "-"}`;
}

function liteConnection(conn, transport, subprotocol, record) {
  const base = {
    library: "@moq/lite@0.2.2",
    raw: conn,
    version: conn.version,
    transport,
    subprotocol,
    offered: record?.sent,
    closed: conn.closed,
    close: () => conn.close(),
    publish(path, trackName) {
      const broadcast = new Lite.Broadcast();
      conn.publish(Lite.Path.from(path), broadcast);
      // @moq/lite 0.2.2 hands the publisher one Track per subscription it serves; every group is written
      // to each of them under one sequence number.
      const tracks = new Set();
      const requests = (async () => {
        for (;;) {
          let req;
          try {
            req = await broadcast.requested();
          } catch {
            return;
          }
          if (!req) return;
          if (req.track.name !== trackName) {
            req.track.close(new Error(`no track ${req.track.name}`));
            continue;
          }
          tracks.add(req.track);
          void req.track.closed.finally(() => tracks.delete(req.track));
        }
      })();
      let next = 0;
      return {
        get subscribed() {
          return tracks.size > 0;
        },
        openGroup() {
          const sequence = next++;
          const groups = [];
          for (const t of tracks) {
            const g = new Lite.Group(sequence);
            try {
              t.writeGroup(g);
              groups.push(g);
            } catch {
              // a track closed between the set snapshot and the write
            }
          }
          return {
            sequence,
            write(frame) {
              for (const g of groups) g.writeFrame(frame);
            },
            close() {
              for (const g of groups) g.close();
            },
          };
        },
        writeGroup(frames) {
          const g = this.openGroup();
          for (const f of frames) g.write(f);
          g.close();
          return g.sequence;
        },
        close() {
          broadcast.close();
          return requests;
        },
      };
    },
    subscribe(path, trackName) {
      const broadcast = conn.consume(Lite.Path.from(path));
      const track = broadcast.subscribe(trackName, 0);
      return {
        closed: track.closed,
        async nextGroup() {
          const g = await track.recvGroup();
          if (!g) return undefined;
          return {
            sequence: g.sequence,
            async readFrame() {
              return await g.readFrame();
            },
            async readAll() {
              const frames = [];
              for (;;) {
                const f = await g.readFrame();
                if (f === undefined) return frames;
                frames.push(f);
              }
            },
          };
        },
        close() {
          track.close();
          broadcast.close();
        },
      };
    },
    announced(prefix) {
      const a = conn.announced(Lite.Path.from(prefix));
      return {
        async next() {
          const e = await a.next();
          // @moq/lite reports full paths.
          return e === undefined ? undefined : { path: String(e.path), active: e.active };
        },
        close: () => a.close(),
      };
    },
  };
  base.describe = () => describe(base);
  return base;
}

function netConnection(conn, transport, subprotocol, record) {
  const base = {
    library: "@moq/net@0.3.4",
    raw: conn,
    version: conn.version,
    transport,
    subprotocol,
    offered: record?.sent,
    closed: conn.closed,
    close: () => conn.close(),
    publish(path, trackName) {
      const broadcast = new Net.Broadcast.Producer();
      const track = broadcast.createTrack(trackName);
      conn.publish(Net.Path.from(path), broadcast);
      return {
        get subscribed() {
          return track.used.peek();
        },
        openGroup() {
          const g = track.appendGroup();
          return {
            sequence: g.sequence,
            write(frame) {
              g.writeFrame({ payload: frame, timestamp: Net.Time.Timestamp.now() });
            },
            close() {
              g.close();
            },
          };
        },
        writeGroup(frames) {
          const g = this.openGroup();
          for (const f of frames) g.write(f);
          g.close();
          return g.sequence;
        },
        /** moq-lite-05 datagram: a one-frame group sent best-effort as one datagram; returns its sequence. */
        appendDatagram(payload) {
          return track.appendDatagram(Net.Time.Timestamp.now(), payload);
        },
        close() {
          track.close();
          broadcast.close();
        },
      };
    },
    subscribe(path, trackName) {
      const broadcast = conn.consume(Net.Path.from(path));
      const sub = broadcast.subscribe(trackName);
      return {
        /** The next moq-lite-05 datagram received for this subscription: { sequence, payload }, or undefined at the end. */
        async recvDatagram() {
          const d = await sub.recvDatagram();
          return d === undefined ? undefined : { sequence: d.sequence, payload: d.payload };
        },
        closed: (async () => {
          const r = await sub.closed;
          return r ?? undefined;
        })(),
        async nextGroup() {
          const g = await sub.recvGroup();
          if (!g) return undefined;
          return {
            sequence: g.sequence,
            async readFrame() {
              const f = await g.readFrame();
              return f?.payload;
            },
            async readAll() {
              const frames = [];
              for (;;) {
                const f = await g.readFrame();
                if (f === undefined) return frames;
                frames.push(f.payload);
              }
            },
          };
        },
        close() {
          broadcast.close();
        },
      };
    },
    announced(prefix) {
      const p = Net.Path.from(prefix);
      const a = conn.announced(p);
      return {
        async next() {
          const e = await a.next();
          // @moq/net reports paths relative to the prefix.
          return e === undefined ? undefined : { path: String(Net.Path.join(p, e.path)), active: e.active };
        },
        close: () => a.close(),
      };
    },
  };
  base.describe = () => describe(base);
  return base;
}

export const clients = {
  "@moq/lite": {
    name: "@moq/lite@0.2.2",
    connect: (url, opts) => connectWith("lite", url, opts),
    /** What @moq/lite 0.2.2's connect() offers on WebSocket (its qmux 0.0.6 session, no options). */
    webSocketOffer: (url) => offerOf(() => new LiteSession(wsUrl(url))),
  },
  "@moq/net": {
    name: "@moq/net@0.3.4",
    connect: (url, opts) => connectWith("net", url, opts),
    /** What @moq/net 0.3.4's connect() offers on WebSocket (its qmux 0.3 session with its options). */
    webSocketOffer: (url) => offerOf(() => new NetSession(wsUrl(url), NET_WS_OPTIONS)),
  },
};

/**
 * Whether the relay (offering `relayProtocols`, e.g. moq-lite-04,moq-lite-03,moql) can accept a WebSocket
 * subprotocol: a bare framing (qmux-NN, webtransport) always, `framing.alpn` when it offers the ALPN.
 */
export function relayAccepts(subprotocol, relayProtocols) {
  const dot = subprotocol.indexOf(".");
  if (dot < 0) return true;
  return relayProtocols.includes(subprotocol.slice(dot + 1));
}
