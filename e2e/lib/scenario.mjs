// Publish/subscribe building blocks shared by the scenarios (Node and the Chromium page).

import { diffGroup, groupFrames } from "./frames.mjs";
import { errorText, sleep, within } from "./util.mjs";

/** Waits until `conn` sees `path` announced with the given activity; bounded. */
export async function waitAnnounced(conn, path, active = true, ms = 10_000) {
  const prefix = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "";
  const a = conn.announced(prefix);
  const seen = [];
  try {
    const end = Date.now() + ms;
    for (;;) {
      const left = end - Date.now();
      if (left <= 0) break;
      const e = await within(left, `announcement of ${path} active=${active} (seen: ${JSON.stringify(seen)})`, a.next());
      if (e === undefined) throw new Error(`announcements under "${prefix}" ended before ${path} active=${active}`);
      seen.push(e);
      if (e.path === path && e.active === active) return seen;
    }
    throw new Error(`announcement of ${path} active=${active}: not seen within ${ms} ms (seen: ${JSON.stringify(seen)})`);
  } finally {
    a.close();
  }
}

/**
 * Publishes one group every `intervalMs` with `frames` deterministic frames (see frames.mjs) on a
 * publisher from `conn.publish`. Bounded: stops by itself after `maxGroups`.
 */
export class Pump {
  constructor(pub, { tag, frames = 4, maxSize = Infinity, intervalMs = 40, maxGroups = 2000 }) {
    Object.assign(this, { pub, tag, frames, maxSize, intervalMs, maxGroups });
    this.written = 0;
    this.lastSequence = -1;
    this.timer = undefined;
  }

  writeOne() {
    const g = this.pub.openGroup();
    for (const f of groupFrames(this.tag, g.sequence, this.frames, this.maxSize)) g.write(f);
    g.close();
    this.lastSequence = g.sequence;
    this.written++;
    return g.sequence;
  }

  start() {
    if (this.timer) return this;
    this.timer = setInterval(() => {
      if (this.written >= this.maxGroups) {
        this.stop();
        return;
      }
      this.writeOne();
    }, this.intervalMs);
    return this;
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/**
 * Reads groups from `sub` and checks each byte for byte, until it holds `count` consecutive sequences
 * from the first one received (or, with `through`, every sequence from the first to `through()`).
 * Returns { first, last, sequences }. Throws on a difference, a track end, or a timeout.
 */
export async function receiveGroups(sub, { tag, frames = 4, maxSize = Infinity, count = 5, through, ms = 20_000, label = "subscriber" }) {
  const got = new Set();
  const order = [];
  let first;
  const end = Date.now() + ms;
  const complete = () => {
    if (first === undefined) return false;
    const last = through ? through() : first + count - 1;
    if (last === undefined || last < first) return false;
    for (let s = first; s <= last; s++) if (!got.has(s)) return false;
    return true;
  };
  while (!complete()) {
    const left = end - Date.now();
    if (left <= 0) {
      throw new Error(`${label}: timed out after ${ms} ms; received sequences ${summarize(order)}`);
    }
    const g = await within(left, `${label}: next group (received ${summarize(order)})`, sub.nextGroup());
    if (g === undefined) {
      throw new Error(`${label}: track ended after sequences ${summarize(order)}`);
    }
    const data = await within(Math.max(1, end - Date.now()), `${label}: frames of group ${g.sequence}`, g.readAll());
    const diff = diffGroup(tag, g.sequence, data, frames, maxSize);
    if (diff) throw new Error(`${label}: ${diff}`);
    first ??= g.sequence;
    got.add(g.sequence);
    order.push(g.sequence);
  }
  return { first, last: through ? through() : first + count - 1, sequences: order };
}

export function summarize(seqs) {
  if (seqs.length <= 12) return `[${seqs.join(",")}]`;
  return `[${seqs.slice(0, 5).join(",")},...,${seqs.slice(-5).join(",")}] (${seqs.length})`;
}

/**
 * One publisher connection and one subscriber connection: publish `path`/`track`, wait for the
 * announcement, subscribe, and receive `count` consecutive byte-identical groups.
 */
export async function roundTrip(pubConn, subConn, { path, track = "data", frames = 4, count = 5, maxSize = Infinity }) {
  const pub = pubConn.publish(path, track);
  const pump = new Pump(pub, { tag: `${path}/${track}`, frames, maxSize });
  let sub;
  try {
    await waitAnnounced(subConn, path);
    sub = subConn.subscribe(path, track);
    pump.start();
    return await receiveGroups(sub, { tag: `${path}/${track}`, frames, maxSize, count, label: subConn.describe() });
  } finally {
    pump.stop();
    sub?.close();
    await sleep(50);
    pub.close();
  }
}

/**
 * moq-lite-05 datagrams end to end: `pubConn` (an @moq/net connection) appends one datagram every
 * `intervalMs` (at most `maxSends`) on `path`/audio once `subConn` subscribed; the subscriber reads them
 * with recvDatagram (`via: "datagram"`, datagrams only) or as one-frame groups (`via: "group"`, where the
 * relay must deliver them on streams) until `want` distinct ones arrived. Datagrams are best-effort, so
 * the publisher keeps sending until then (or `maxSends`, then 2 s more). Returns { sent, received: [{ sequence,
 * text }], complete }; every received payload must be one that was sent, under the sequence it was sent with.
 */
export async function datagramRoundTrip(pubConn, subConn, { path, want = 5, maxSends = 300, intervalMs = 20, via = "datagram" }) {
  const pub = pubConn.publish(path, "audio");
  const sent = new Map();
  let sub;
  let stop = false;
  try {
    await waitAnnounced(subConn, path);
    sub = subConn.subscribe(path, "audio");
    const sender = (async () => {
      for (let i = 0; i < maxSends && !stop; i++) {
        if (pub.subscribed) {
          const text = `dg-${i}-${"x".repeat(i % 50)}`;
          const seq = pub.appendDatagram(new TextEncoder().encode(text));
          sent.set(seq, text);
        }
        await sleep(intervalMs);
      }
    })();
    const received = [];
    const seen = new Set();
    const reading = (async () => {
      while (seen.size < want) {
        let seq;
        let payload;
        if (via === "datagram") {
          const d = await sub.recvDatagram();
          if (d === undefined) throw new Error("the subscription ended before enough datagrams arrived");
          seq = d.sequence;
          payload = d.payload;
        } else {
          const g = await sub.nextGroup();
          if (g === undefined) throw new Error("the subscription ended before enough groups arrived");
          const frames = await g.readAll();
          if (frames.length !== 1) throw new Error(`group ${g.sequence} has ${frames.length} frames, not 1`);
          seq = g.sequence;
          payload = frames[0];
        }
        const text = new TextDecoder().decode(payload);
        if (sent.get(seq) !== text) throw new Error(`sequence ${seq}: received "${text}", sent "${sent.get(seq)}"`);
        if (!seen.has(seq)) {
          seen.add(seq);
          received.push({ sequence: seq, text });
        }
      }
    })();
    const timedOut = await Promise.race([reading.then(() => false), sender.then(() => sleep(2_000)).then(() => true)]);
    reading.catch(() => {}); // abandoned on a timeout: the subscription's close ends it
    return { sent: sent.size, received, complete: !timedOut };
  } finally {
    stop = true;
    sub?.close();
    await sleep(50);
    pub.close();
  }
}

/** Closes connections quietly (a close can race the peer's). */
export async function closeAll(...conns) {
  for (const c of conns.flat()) {
    try {
      c?.close();
    } catch (e) {
      void errorText(e);
    }
  }
  await sleep(20);
}

/**
 * Reads a subscription continuously in the background (every group's frames concurrently), so the
 * subscriber never lags; records what arrived for the test to inspect.
 *   groups: Map sequence -> { frames: Uint8Array[], done: boolean, error?: string }
 *   order: sequences in arrival order; ended: undefined | "end" | error text
 */
export class Drain {
  constructor(sub, label = "subscriber") {
    this.sub = sub;
    this.label = label;
    this.groups = new Map();
    this.order = [];
    this.ended = undefined;
    this.waiters = new Set();
    void this.#run();
  }

  async #run() {
    try {
      for (let i = 0; i < 1_000_000; i++) {
        const g = await this.sub.nextGroup();
        if (g === undefined) {
          this.ended = "end";
          break;
        }
        const entry = { frames: [], done: false, error: undefined };
        this.groups.set(g.sequence, entry);
        this.order.push(g.sequence);
        this.#notify();
        void (async () => {
          try {
            for (;;) {
              const f = await g.readFrame();
              if (f === undefined) break;
              entry.frames.push(f);
              this.#notify();
            }
            entry.done = true;
          } catch (e) {
            entry.error = errorText(e);
          }
          this.#notify();
        })();
      }
    } catch (e) {
      this.ended = errorText(e);
    }
    this.#notify();
  }

  #notify() {
    for (const w of this.waiters) w();
  }

  /** Resolves with predicate's truthy value once it holds; rejects after ms. */
  async until(ms, what, predicate) {
    const check = () => predicate(this);
    let v = check();
    if (v) return v;
    let wake;
    const end = Date.now() + ms;
    try {
      for (;;) {
        const left = end - Date.now();
        if (left <= 0) break;
        await within(left, what, new Promise((resolve) => {
          wake = resolve;
          this.waiters.add(wake);
        })).catch(() => {});
        this.waiters.delete(wake);
        v = check();
        if (v) return v;
      }
    } finally {
      this.waiters.delete(wake);
    }
    throw new Error(`${this.label}: ${what}: not within ${ms} ms; received ${summarize(this.order)}, ended=${this.ended ?? "no"}`);
  }

  /** Describes the first group in [from, to] that is missing, incomplete, failed or differs; null if all good. */
  check(tag, from, to, frames, maxSize = Infinity) {
    for (let s = from; s <= to; s++) {
      const g = this.groups.get(s);
      if (!g) return `group ${s} missing`;
      if (g.error) return `group ${s} failed: ${g.error}`;
      if (!g.done) return `group ${s} incomplete (${g.frames.length} frames so far)`;
      const d = diffGroup(tag, s, g.frames, frames, maxSize);
      if (d) return d;
    }
    return null;
  }
}
