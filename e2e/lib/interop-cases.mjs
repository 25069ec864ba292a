// The moq-interop-runner's test cases (englishm/moq-interop-runner docs/tests/TEST-CASES.md, and the
// candidates data-subgroup-basic and subscribe-namespace-lifecycle) written against the suite's client API
// (lib/moq.mjs), so @moq/net 0.3.4's IETF client runs the same procedures as `jmoq interop` does in Java.
// Browser-safe (no Node imports): the Chromium page can bundle it.
//
//   const r = await runCase("announce-subscribe", () => clients["@moq/net"].connect(url, { offer }));
//   r.status: "pass" | "fail" | "skip", r.detail: what was expected and what came instead

import { errorText, within } from "./util.mjs";

export const NAMESPACE = "moq-test/interop";
export const PREFIX = "moq-test";
export const TRACK = "test-track";
export const MISSING = "nonexistent/namespace";
export const GROUPS = 3;
export const OBJECTS = 5;
/** Stands in for PUBLISH_NAMESPACE_OK, which the client API does not report (the runner's moq-dev-js client waits the same). */
const ANNOUNCE_SETTLE_MS = 300;

/** The cases in the runner's order with their timeouts (ms); the candidates get 5 s. */
export const CASES = [
  ["setup-only", 2_000],
  ["announce-only", 2_000],
  ["publish-namespace-done", 2_000],
  ["subscribe-error", 2_000],
  ["announce-subscribe", 3_000],
  ["subscribe-before-announce", 3_500],
  ["publish-track-only", 10_000],
  ["publish-track-subscribe", 10_000],
  ["data-subgroup-basic", 5_000],
  ["subscribe-namespace-lifecycle", 5_000],
];

/** Object `object` of group `group` in data-subgroup-basic: the bytes `jmoq interop` writes too. */
export function payload(group, object) {
  const label = new TextEncoder().encode(`g${group}o${object}:`);
  const n = (group * OBJECTS + object + 1) * 8;
  const out = new Uint8Array(label.length + n);
  out.set(label);
  for (let i = 0; i < n; i++) out[label.length + i] = (group * 16 + object + i) & 0xff;
  return out;
}

class Skip extends Error {}

const equal = (a, b) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Runs one case with `connect()` opening a new connection; never throws. */
export async function runCase(id, connect) {
  const entry = CASES.find(([c]) => c === id);
  if (!entry) return { status: "fail", detail: `unknown case ${id}` };
  const conns = [];
  const started = Date.now();
  const deadline = started + entry[1];
  const left = () => Math.max(0, deadline - Date.now());
  const ctx = {
    async connect(role) {
      const c = await within(left(), `${role} SETUP`, connect());
      conns.push(c);
      return c;
    },
    wait: (what, promise) => within(left(), what, promise),
    async until(what, predicate) {
      for (;;) {
        if (predicate()) return;
        if (Date.now() > deadline) throw new Error(`${what}: timed out after ${entry[1]} ms`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    pause: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, left()))),
  };
  try {
    const note = await CASE_BODIES[id](ctx);
    return { status: "pass", detail: note ?? "", ms: Date.now() - started };
  } catch (e) {
    if (e instanceof Skip) return { status: "skip", detail: e.message, ms: 0 };
    return { status: "fail", detail: errorText(e), ms: Date.now() - started };
  } finally {
    for (const c of conns) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
  }
}

/** Reads a subscription's groups in the background: objects as {group, index, bytes}, and its end. */
function receive(sub) {
  const r = { objects: [], ended: undefined };
  r.done = (async () => {
    try {
      for (;;) {
        const g = await sub.nextGroup();
        if (!g) break;
        for (let i = 0; ; i++) {
          const f = await g.readFrame();
          if (f === undefined) break;
          r.objects.push({ group: g.sequence, index: i, bytes: new Uint8Array(f) });
        }
      }
      const closed = await sub.closed;
      r.ended = closed ? errorText(closed) : "ended";
    } catch (e) {
      r.ended = errorText(e);
    }
    return r.ended;
  })();
  r.summary = () => {
    const per = {};
    for (const o of r.objects) per[`g${o.group}`] = (per[`g${o.group}`] ?? 0) + 1;
    return `${r.objects.length} objects received ${JSON.stringify(per)}${r.ended ? `, ended: ${r.ended}` : ""}`;
  };
  return r;
}

/** Announcements under `prefix` in order; next(path, active) waits for the next matching one. */
function watch(conn, prefix) {
  const a = conn.announced(prefix);
  const seen = [];
  return {
    async next(ctx, path, active) {
      for (;;) {
        const e = await ctx.wait(`announcement ${path} active=${active} (seen ${JSON.stringify(seen)})`, a.next());
        if (e === undefined) throw new Error(`announcements under ${prefix} ended (seen ${JSON.stringify(seen)})`);
        seen.push(e);
        if (e.path === path && e.active === active) return;
      }
    },
    close: () => a.close(),
  };
}

function expectObject(r, group, index) {
  const o = r.objects.find((x) => x.group === group && x.index === index);
  const want = payload(group, index);
  if (!o) throw new Error(`group ${group} object ${index}: not received (${r.summary()})`);
  if (!equal(o.bytes, want)) throw new Error(`group ${group} object ${index}: ${o.bytes.length} other bytes instead of ${want.length}`);
}

const CASE_BODIES = {
  async "setup-only"(ctx) {
    const c = await ctx.connect("client");
    return `version ${c.version}`;
  },

  async "announce-only"(ctx) {
    const pub = (await ctx.connect("publisher")).publish(NAMESPACE, TRACK);
    // No PUBLISH_NAMESPACE_OK event in the client API: the relay routing a SUBSCRIBE to us proves it.
    const probe = await ctx.connect("probe");
    probe.subscribe(NAMESPACE, TRACK);
    await ctx.until("PUBLISH_NAMESPACE_OK (a SUBSCRIBE routed to the publisher)", () => pub.subscribed);
  },

  async "publish-namespace-done"(ctx) {
    const w = watch(await ctx.connect("watcher"), PREFIX);
    const pub = (await ctx.connect("publisher")).publish(NAMESPACE, TRACK);
    await w.next(ctx, NAMESPACE, true);
    pub.close();
    await w.next(ctx, NAMESPACE, false);
    w.close();
  },

  async "subscribe-error"(ctx) {
    const r = receive((await ctx.connect("subscriber")).subscribe(MISSING, TRACK));
    const end = await ctx.wait("REQUEST_ERROR", r.done);
    if (r.objects.length > 0) throw new Error(`objects of a namespace nobody published (${r.summary()})`);
    if (end === "ended") throw new Error("the track ended without an error");
    return end;
  },

  async "announce-subscribe"(ctx) {
    const pub = (await ctx.connect("publisher")).publish(NAMESPACE, TRACK);
    await ctx.pause(ANNOUNCE_SETTLE_MS);
    const r = receive((await ctx.connect("subscriber")).subscribe(NAMESPACE, TRACK));
    await ctx.until(`the relay routing SUBSCRIBE to the publisher (${r.summary()})`, () => pub.subscribed || r.ended);
    if (r.ended) throw new Error(`subscription ended: ${r.ended}`);
    pub.writeGroup([payload(0, 0)]);
    await ctx.until(`SUBSCRIBE_OK and the object (${r.summary()})`, () => r.objects.length >= 1 || r.ended);
    expectObject(r, r.objects[0]?.group ?? 0, 0);
  },

  async "subscribe-before-announce"(ctx) {
    const r = receive((await ctx.connect("subscriber")).subscribe(NAMESPACE, TRACK));
    await ctx.pause(500);
    const pub = (await ctx.connect("publisher")).publish(NAMESPACE, TRACK);
    await ctx.until(`SUBSCRIBE_OK or REQUEST_ERROR (${r.summary()})`, () => {
      if (pub.subscribed && !pub.wrote) {
        pub.wrote = true;
        pub.writeGroup([payload(0, 0)]);
      }
      return r.objects.length >= 1 || r.ended;
    });
    if (r.objects.length >= 1) return "SUBSCRIBE_OK and the object";
    if (r.ended === "ended") throw new Error("the track ended without an error or object");
    return `REQUEST_ERROR: ${r.ended}`;
  },

  async "publish-track-only"() {
    throw new Skip("publisher-initiated PUBLISH is not in the client's API");
  },

  async "publish-track-subscribe"() {
    throw new Skip("publisher-initiated PUBLISH is not in the client's API");
  },

  async "data-subgroup-basic"(ctx) {
    const pub = (await ctx.connect("publisher")).publish(NAMESPACE, TRACK);
    await ctx.pause(ANNOUNCE_SETTLE_MS);
    const r = receive((await ctx.connect("subscriber")).subscribe(NAMESPACE, TRACK));
    await ctx.until(`the relay routing SUBSCRIBE to the publisher (${r.summary()})`, () => pub.subscribed || r.ended);
    const first = [];
    for (let g = 0; g < GROUPS; g++) {
      const frames = [];
      for (let o = 0; o < OBJECTS; o++) frames.push(payload(g, o));
      first.push(pub.writeGroup(frames));
    }
    if (first[0] !== 0) throw new Error(`the publisher numbered its first group ${first[0]}`);
    await ctx.until(`${GROUPS} groups x ${OBJECTS} objects (${r.summary()})`, () => r.objects.length >= GROUPS * OBJECTS || r.ended);
    for (let g = 0; g < GROUPS; g++) for (let o = 0; o < OBJECTS; o++) expectObject(r, g, o);
  },

  async "subscribe-namespace-lifecycle"(ctx) {
    const w = watch(await ctx.connect("subscriber"), PREFIX);
    const pub = (await ctx.connect("publisher")).publish(NAMESPACE, TRACK);
    await w.next(ctx, NAMESPACE, true);
    pub.close();
    await w.next(ctx, NAMESPACE, false);
    w.close();
  },
};
