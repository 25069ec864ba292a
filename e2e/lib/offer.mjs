// Instruments the global WebSocket so a test can restrict the subprotocols a client offers to exactly
// one (the relay must then negotiate that one), and can see what was offered and what the relay chose.
// The client libraries run unchanged: only the list handed to the WebSocket constructor is filtered, and
// only while a test's `withOffer` callback constructs a session synchronously.

const Native = globalThis.WebSocket;
let filter = null;
let probing = false;
let probed = null;

class ProbeDone extends Error {}

/** Every WebSocket created since load: { url, offered, sent, socket }. */
export const sockets = [];

if (Native && !Native.__jmoqInstrumented) {
  class InstrumentedWebSocket extends Native {
    constructor(url, protocols) {
      const offered = protocols === undefined ? [] : Array.isArray(protocols) ? [...protocols] : [protocols];
      if (probing) {
        probed = offered;
        throw new ProbeDone();
      }
      const sent = filter ? filter(offered) : offered;
      super(url, sent);
      sockets.push({ url: String(url), offered, sent, socket: this });
      wrapOnMessage(this);
    }

    send(data) {
      // A message whose first byte is 0x1d is the session's CONNECTION_CLOSE (both framings of
      // @moq/qmux): from here on the session is closed on the client's side.
      const first = data instanceof Uint8Array ? data[0] : data instanceof ArrayBuffer ? new Uint8Array(data)[0] : undefined;
      if (first === 0x1d) this.__jmoqClosedByClient = true;
      return super.send(data);
    }

    close(...args) {
      this.__jmoqClosedByClient = true;
      return super.close(...args);
    }
  }
  InstrumentedWebSocket.__jmoqInstrumented = true;
  globalThis.WebSocket = InstrumentedWebSocket;
}

// Chromium's native WebSocketStream, which @moq/net's polyfill prefers where it exists.
const NativeStream = globalThis.WebSocketStream;
if (NativeStream && !NativeStream.__jmoqInstrumented) {
  class InstrumentedWebSocketStream extends NativeStream {
    constructor(url, options = {}) {
      const offered = [...(options.protocols ?? [])];
      if (probing) {
        probed = offered;
        throw new ProbeDone();
      }
      const sent = filter ? filter(offered) : offered;
      super(url, { ...options, protocols: sent });
      const record = { url: String(url), offered, sent, socket: { protocol: undefined } };
      this.opened.then(
        (c) => {
          record.socket.protocol = c.protocol;
        },
        () => {},
      );
      sockets.push(record);
    }
  }
  InstrumentedWebSocketStream.__jmoqInstrumented = true;
  globalThis.WebSocketStream = InstrumentedWebSocketStream;
}

/**
 * Known client defect, kept from failing the tests: @moq/qmux 0.0.6 (the WebSocket session of @moq/lite
 * 0.2.2) closes its incoming-stream controllers when its session closes but its socket 100 ms later;
 * messages the socket had already received are still dispatched, and its async stream-frame handler then
 * enqueues on a closed controller ("Controller is already closed", an unhandled rejection that would fail
 * whichever test is running). A session that closed its socket has no use for later messages, so they are
 * dropped here and counted.
 */
export const clientDefects = [];

function wrapOnMessage(socket) {
  let handler = null;
  Object.defineProperty(socket, "onmessage", {
    configurable: true,
    get: () => handler,
    set(fn) {
      handler = fn;
      const wrapped =
        typeof fn === "function"
          ? (event) => {
              if (socket.__jmoqClosedByClient) {
                clientDefects.push("message after the client closed its WebSocket dropped");
                return undefined;
              }
              return fn.call(socket, event);
            }
          : fn;
      Object.getOwnPropertyDescriptor(Native.prototype, "onmessage").set.call(socket, wrapped);
    },
  });
}

/**
 * Runs `construct` (which must create its WebSocket synchronously) with the offer filtered to the
 * subprotocols `keep` accepts; returns construct's result and the socket record.
 */
export function withOffer(keep, construct) {
  const before = sockets.length;
  filter = (offered) => offered.filter(keep);
  try {
    const result = construct();
    const record = sockets.length > before ? sockets[sockets.length - 1] : undefined;
    return { result, record };
  } finally {
    filter = null;
  }
}

/**
 * The subprotocols a client's own constructor offers. Nothing is dialed: the constructor is stopped
 * right after it names its offer.
 */
export function offerOf(construct) {
  probing = true;
  probed = null;
  try {
    construct();
  } catch (e) {
    if (!(e instanceof ProbeDone)) throw e;
  } finally {
    probing = false;
  }
  if (!probed) throw new Error("the constructor created no WebSocket");
  return probed;
}
