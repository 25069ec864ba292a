// Records a whole moq-lite-05 session between two real @moq/net 0.3.4 endpoints, stream by stream,
// so the Java codec (and the session built on it) is checked against what the client really does:
// which streams each side opens, in what order, and every byte on each of them.
//
// Run (Node 24) with a node_modules that holds @moq/net@0.3.4 (e2e/ after `npm ci` has it):
//   e2e/node_modules/.bin/node jmoq-wire/src/test/node/capture-session.mjs e2e/node_modules \
//     > jmoq-wire/src/test/resources/vectors/lite05-session-moq-net-0.3.4.json
//
// The two endpoints are @moq/net's own connect() (the viewer) and accept() (the server, here in the
// relay's publishing role), joined by @moq/net's in-memory MockTransport (the same one its test suite
// uses). Both transports are tapped: every stream an endpoint opens is recorded with the bytes it
// wrote and the bytes it read back, whether it ended with FIN or a reset, and every datagram. The
// endpoints' random origin ids are made deterministic by seeding crypto.getRandomValues.
//
// Scenario: the server publishes broadcast "room/alice", track "video" (timescale 90000, publisher
// max latency 5000 ms, priority 2, ordered), with group 0 already cached; the viewer asks for
// announcements under "room", reads TRACK_INFO, subscribes from group 0, fetches group 0, receives a
// datagram group, and finally sees the track end.
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const [root] = process.argv.slice(2);
if (!root) {
	console.error("usage: node capture-session.mjs <node_modules>");
	process.exit(2);
}
const pkgDir = `${root}/@moq/net`;
const load = (rel) => import(pathToFileURL(`${pkgDir}/${rel}`).href);
const pkg = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8"));

// Deterministic "random" origin ids: each call fills with a fixed, distinct pattern.
let seed = 0x0123456789n;
crypto.getRandomValues = (arr) => {
	for (let i = 0; i < arr.length; i++) {
		seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
		arr[i] = typeof arr[i] === "bigint" ? seed : Number(seed & 0xffn);
	}
	return arr;
};
// The library logs at debug/info; keep stdout for the JSON.
console.debug = () => {};
console.info = () => {};
console.log = (...a) => process.stderr.write(a.join(" ") + "\n");

const { createMockTransportPair } = await load("mock.js");
const { connect, accept } = await load("connection/index.js");
const { Producer: BroadcastProducer } = await load("broadcast.js");
const Path = await load("path.js");
const { Timestamp, Timescale } = await load("time.js");

const streams = [];
const datagrams = [];
const hex = (chunks) => Buffer.concat(chunks).toString("hex");

function tapWritable(inner, rec, dir) {
	const w = inner.getWriter();
	const out = new WritableStream({
		write(chunk) {
			// A zero-length write puts nothing on the wire (the mock would hand the reader an empty chunk).
			if (chunk.byteLength === 0) return undefined;
			rec[dir].push(Buffer.from(chunk));
			return w.write(chunk);
		},
		close() {
			rec[`${dir}End`] = "fin";
			return w.close();
		},
		abort(reason) {
			rec[`${dir}End`] = "reset";
			return w.abort(reason);
		},
	});
	return out;
}

function tapReadable(inner, rec, dir) {
	return inner.pipeThrough(
		new TransformStream({
			transform(chunk, ctl) {
				rec[dir].push(Buffer.from(chunk));
				ctl.enqueue(chunk);
			},
			flush() {
				rec[`${dir}End`] = "fin";
			},
		}),
	);
}

function tap(transport, side) {
	const bidi = transport.createBidirectionalStream.bind(transport);
	const uni = transport.createUnidirectionalStream.bind(transport);
	transport.createBidirectionalStream = async (options) => {
		const s = await bidi(options);
		const rec = { opener: side, kind: "bidi", sent: [], received: [] };
		streams.push(rec);
		return { readable: tapReadable(s.readable, rec, "received"), writable: tapWritable(s.writable, rec, "sent") };
	};
	transport.createUnidirectionalStream = async (options) => {
		const s = await uni(options);
		const rec = { opener: side, kind: "uni", sent: [], received: [] };
		streams.push(rec);
		return tapWritable(s, rec, "sent");
	};
	// The accepting side's writes are recorded on the opener's readable; only drop zero-length
	// writes here, as tapWritable does, since the mock would deliver them as empty chunks.
	transport.incomingBidirectionalStreams = transport.incomingBidirectionalStreams.pipeThrough(
		new TransformStream({
			transform(remote, ctl) {
				const w = remote.writable.getWriter();
				const writable = new WritableStream({
					write: (chunk) => (chunk.byteLength === 0 ? undefined : w.write(chunk)),
					close: () => w.close(),
					abort: (reason) => w.abort(reason),
				});
				ctl.enqueue({ readable: remote.readable, writable });
			},
		}),
	);
	const dg = transport.datagrams;
	const inner = dg.writable;
	const w = inner.getWriter();
	dg.writable = new WritableStream({
		write(chunk) {
			datagrams.push({ sender: side, body: Buffer.from(chunk).toString("hex") });
			return w.write(chunk);
		},
	});
}

const pair = createMockTransportPair("moq-lite-05");
tap(pair.client, "client");
tap(pair.server, "server");
const url = new URL("https://relay.example/");
const [client, server] = await Promise.all([connect(url, { transport: pair.client }), accept(pair.server, url)]);

const TS = Timescale(90000);
const broadcast = new BroadcastProducer();
const video = broadcast.createTrack("video", { timescale: TS, latencyMax: 5000, priority: 2, ordered: true });
// Group 0 is cached before anyone subscribes: three frames whose timestamps go up, back, up
// (zigzag deltas +3000, -1500, +4500 at 90 kHz).
const g0 = video.appendGroup();
g0.writeFrame({ payload: new TextEncoder().encode("key"), timestamp: new Timestamp(3000, TS) });
g0.writeFrame({ payload: new TextEncoder().encode("b"), timestamp: new Timestamp(1500, TS) });
g0.writeFrame({ payload: new Uint8Array(0), timestamp: new Timestamp(6000, TS) });
g0.close();
server.publish(Path.from("room/alice"), broadcast);

// Viewer: announcements under "room" (ANNOUNCE_REQUEST, ANNOUNCE_OK, ANNOUNCE_BROADCAST).
const announced = client.announced(Path.from("room"));
const entry = await announced.next();
if (!entry || entry.path !== "alice" || !entry.active) throw new Error(`unexpected announce ${JSON.stringify(entry)}`);

// Viewer: subscribe from group 0 (TRACK stream, then SUBSCRIBE; SUBSCRIBE_START; GROUP streams).
const remote = client.consume(Path.from("room/alice"));
const sub = remote.track("video").subscribe({ priority: 7, startGroup: 0, latencyMax: 1000 });
const first = await sub.nextGroup();
const frames = [];
for (let f = await first.readFrame(); f; f = await first.readFrame()) frames.push(f);
if (frames.length !== 3) throw new Error(`group 0 had ${frames.length} frames`);

// A live group 1 with one frame, then a datagram group (sequence 2).
const g1 = video.appendGroup();
g1.writeFrame({ payload: new TextEncoder().encode("live"), timestamp: new Timestamp(9000, TS) });
g1.close();
const second = await sub.nextGroup();
await second.readFrame();
video.appendDatagram(new Timestamp(12000, TS), new Uint8Array([0xde, 0xad, 0xbe, 0xef]));
const dgram = await sub.recvDatagram();
if (!dgram || dgram.sequence !== 2) throw new Error("no datagram group");

// Viewer: FETCH group 0 (bare timestamped frames on the FETCH stream).
const fetched = await remote.track("video").fetchGroup(0);
let fetchedFrames = 0;
while (await fetched.readFrame()) fetchedFrames++;
if (fetchedFrames !== 3) throw new Error(`fetch gave ${fetchedFrames} frames`);

// The track ends: SUBSCRIBE_END (exclusive: 3), then FIN.
video.close();
while (await sub.nextGroup()) {
	// drain
}
await new Promise((resolve) => setTimeout(resolve, 50));

announced.close();
remote.close();
broadcast.close();
await new Promise((resolve) => setTimeout(resolve, 50));
client.close();
server.close();

const out = {
	package: pkg.name,
	version: pkg.version,
	protocol: "moq-lite-05",
	note: "streams in the order they were opened; sent/received are from the opener's side; datagrams in send order",
	streams: streams.map((s, i) => ({
		index: i,
		opener: s.opener,
		kind: s.kind,
		sent: hex(s.sent),
		sentEnd: s.sentEnd ?? "open",
		received: s.kind === "bidi" ? hex(s.received) : undefined,
		receivedEnd: s.kind === "bidi" ? (s.receivedEnd ?? "open") : undefined,
	})),
	datagrams,
};
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
process.exit(0);
