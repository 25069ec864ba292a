// A page that plays a broadcast with @moq/watch 0.4.6's <moq-watch> element (bundled by esbuild) and
// exposes window.watch: what it decoded (frame count from the decoder's output, picture size), the
// transport and version of its connection, and the catalog it read. Query: ?url=<relay>&name=<broadcast>
// &transport=webtransport|websocket (websocket hides WebTransport from the client, so it cannot race it)
// [&protocol=moqt-16] (offer only this MoQ protocol: the WebTransport protocol list, or the WebSocket
// subprotocols `qmux-NN.<protocol>`; without it the client offers its defaults and the relay prefers moq-lite).
const q = new URLSearchParams(location.search);
const transport = q.get("transport") ?? "webtransport";
const protocol = q.get("protocol");
if (transport === "websocket") globalThis.WebTransport = undefined;
if (protocol && transport === "websocket") {
  // @moq/net names no WebSocket offer of its own: keep only the subprotocols that carry `protocol`.
  const keep = (list) => [...(list ?? [])].filter((p) => p === protocol || p.endsWith(`.${protocol}`));
  const NativeSocket = globalThis.WebSocket;
  globalThis.WebSocket = class extends NativeSocket {
    constructor(url, protocols) {
      super(url, keep(protocols === undefined ? [] : [protocols].flat()));
    }
  };
  const NativeStream = globalThis.WebSocketStream;
  if (NativeStream) {
    globalThis.WebSocketStream = class extends NativeStream {
      constructor(url, options = {}) {
        super(url, { ...options, protocols: keep(options.protocols) });
      }
    };
  }
}

const state = { frames: 0, width: 0, height: 0, lastTimestamp: undefined, transport: undefined, version: undefined, catalog: undefined, audio: undefined, errors: [] };
window.watch = state;
window.addEventListener("error", (e) => state.errors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => state.errors.push(String(e.reason?.message ?? e.reason)));

await import("@moq/watch/element");
const el = document.createElement("moq-watch");
el.connection.websocket = transport === "websocket" ? { enabled: true, delay: 0 } : { enabled: false };
if (protocol && transport === "webtransport") el.connection.webtransport = { protocols: [protocol] };
// Decode whether or not the canvas is on screen, and play the audio (the page runs with Chromium's
// autoplay policy off), so both media tracks are subscribed.
el.setAttribute("visible", "always");
el.volume = 0.1;
document.body.append(el);
el.setAttribute("name", q.get("name"));
el.setAttribute("url", q.get("url"));

el.connection.established.subscribe((s) => {
  if (s) {
    state.transport = s.transport;
    state.version = s.version;
  }
});
el.broadcast.out.catalog?.subscribe?.((c) => {
  if (c) state.catalog = JSON.parse(JSON.stringify(c));
});
// One count per decoded picture: the decoder's output sets `timestamp` for every frame it shows.
el.video.out.timestamp.subscribe((ts) => {
  if (ts === undefined || ts === state.lastTimestamp) return;
  state.lastTimestamp = ts;
  state.frames++;
  const f = el.video.out.frame.peek();
  if (f) {
    state.width = f.displayWidth;
    state.height = f.displayHeight;
  }
});
el.audio.out?.stats?.subscribe?.((s) => {
  if (s) state.audio = { ...s };
});
