// Interoperability of the WebSocket transport with the real npm polyfills:
//   @moq/qmux 0.0.x, as @moq/lite 0.2.2 constructs it: `new Session(url)` (offers qmux-00, webtransport)
//   @moq/qmux 0.3.x, as @moq/net 0.3.4 constructs it: `new Session(url, { protocols, versions })`
// against a jmoq echo server (EchoServerMain). For each subprotocol variant it checks the negotiated
// framing and ALPN, bidi and uni echoes, concurrent streams, and transfers larger than every flow-control
// window.
//
// Usage: node qmux-interop.mjs <port>
//   MOQ_NODE_MODULES: the node_modules holding @moq/lite and @moq/net (default /tmp/npmprobe/node_modules)
// Prints one line per check and "N passed, N failed"; exits non-zero on any failure.
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { existsSync } from "node:fs";

const port = Number(process.argv[2]);
if (!port) {
	console.error("usage: node qmux-interop.mjs <port>");
	process.exit(2);
}
const modules = process.env.MOQ_NODE_MODULES ?? "/tmp/npmprobe/node_modules";
const load = (p) => import(pathToFileURL(join(modules, p)).href);

// @moq/lite depends on @moq/qmux 0.0.x; @moq/net on 0.3.x (nested when both are installed).
const liteQmux = (await load("@moq/qmux/index.js")).default;
const netQmuxPath = existsSync(join(modules, "@moq/net/node_modules/@moq/qmux/index.js"))
	? "@moq/net/node_modules/@moq/qmux/index.js"
	: "@moq/qmux/index.js";
const netQmux = (await load(netQmuxPath)).default;

// The ALPN map @moq/net 0.3.4's connectWebSocket passes (connection/connect.js).
const netVersions = {
	"moq-lite-05": null,
	"moq-lite-04": null,
	"moq-lite-03": null,
	moql: null,
	"moqt-20": "qmux-01",
	"moqt-18": "qmux-01",
	"moqt-17": null,
	"moqt-16": null,
	"moqt-15": null,
};

// Restrict what a client offers, to make the server pick a given variant. The client code is unchanged.
const NativeWebSocket = globalThis.WebSocket;
let offerFilter = null;
let lastOffer = [];
globalThis.WebSocket = class extends NativeWebSocket {
	constructor(url, protocols) {
		const list = Array.isArray(protocols) ? protocols : protocols ? [protocols] : [];
		lastOffer = list;
		super(url, offerFilter ? list.filter(offerFilter) : list);
	}
};

let passed = 0;
let failed = 0;
function check(name, ok, detail = "") {
	if (ok) passed++;
	else failed++;
	console.log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` (${detail})` : ""}`);
}

function pattern(n, seed) {
	const b = new Uint8Array(n);
	for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
	return b;
}

async function readAll(readable) {
	const reader = readable.getReader();
	const chunks = [];
	let total = 0;
	for (;;) {
		const { value, done } = await reader.read();
		if (done) break;
		chunks.push(value);
		total += value.byteLength;
	}
	const out = new Uint8Array(total);
	let o = 0;
	for (const c of chunks) {
		out.set(c, o);
		o += c.byteLength;
	}
	return out;
}

function equal(a, b) {
	if (a.byteLength !== b.byteLength) return false;
	for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
	return true;
}

async function writeAll(writable, data, chunk = 64 * 1024) {
	const w = writable.getWriter();
	for (let o = 0; o < data.byteLength; o += chunk) {
		await w.write(data.subarray(o, Math.min(o + chunk, data.byteLength)));
	}
	await w.close();
}

async function bidiEcho(session, data) {
	const s = await session.createBidirectionalStream();
	const [, echoed] = await Promise.all([writeAll(s.writable, data), readAll(s.readable)]);
	return equal(echoed, data);
}

async function uniEcho(session, data) {
	const incoming = session.incomingUnidirectionalStreams.getReader();
	const w = await session.createUnidirectionalStream();
	const [, reply] = await Promise.all([
		writeAll(w, data),
		(async () => {
			const { value } = await incoming.read();
			incoming.releaseLock();
			return readAll(value);
		})(),
	]);
	return equal(reply, data);
}

async function withTimeout(promise, ms, what) {
	let timer;
	const t = new Promise((_, reject) => {
		timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
	});
	try {
		return await Promise.race([promise, t]);
	} finally {
		clearTimeout(timer);
	}
}

async function variant(name, makeSession, filter, expect) {
	offerFilter = filter;
	const url = `http://127.0.0.1:${port}/interop/${encodeURIComponent(name)}?token=x`;
	let session;
	try {
		session = makeSession(url);
		await withTimeout(session.ready, 5000, "ready");
		offerFilter = null;
		check(`${name}: negotiated protocol "${expect.protocol}"`, session.protocol === expect.protocol,
			`got "${session.protocol}", offered ${lastOffer.length} subprotocols`);
		check(`${name}: bidi echo small`, await withTimeout(bidiEcho(session, pattern(100, 1)), 5000, "bidi"));
		check(`${name}: uni echo`, await withTimeout(uniEcho(session, pattern(50_000, 2)), 10000, "uni"));
		const many = await withTimeout(
			Promise.all(Array.from({ length: 40 }, (_, i) => bidiEcho(session, pattern(1000 + i * 97, i)))),
			20000, "many streams");
		check(`${name}: 40 concurrent bidi echoes`, many.every(Boolean));
		const big = pattern(3 * 1024 * 1024 + 123, 7);
		check(`${name}: 3 MiB bidi echo (beyond every window)`, await withTimeout(bidiEcho(session, big), 60000, "large"));
		const two = await withTimeout(Promise.all([bidiEcho(session, pattern(1_500_000, 3)), uniEcho(session, pattern(1_200_000, 4))]), 60000, "parallel large");
		check(`${name}: parallel large bidi and uni`, two.every(Boolean));
		session.close({ closeCode: 7, reason: "interop done" });
	} catch (e) {
		check(`${name}: session`, false, String(e?.message ?? e));
		try {
			session?.close();
		} catch {}
	} finally {
		offerFilter = null;
	}
}

const only = (...values) => (p) => values.includes(p);

// The server closes with an application code and reason: the client must decode the close frame.
const decodeErrors = [];
const consoleError = console.error;
console.error = (...args) => {
	decodeErrors.push(args.map(String).join(" "));
	consoleError(...args);
};
async function serverClose(name, makeSession, filter, expectCode) {
	offerFilter = filter;
	const url = `http://127.0.0.1:${port}/interop/${encodeURIComponent(name)}?close=server`;
	decodeErrors.length = 0;
	try {
		const session = makeSession(url);
		await withTimeout(session.ready, 5000, "ready");
		offerFilter = null;
		const info = await withTimeout(session.closed, 5000, "closed");
		const ok = expectCode
			? info.closeCode === 4242 && info.reason === "server bye"
			: decodeErrors.length === 0;
		check(`${name}: server close`, ok, `closeCode=${info.closeCode} reason="${info.reason}" errors=${decodeErrors.length}`);
	} catch (e) {
		check(`${name}: server close`, false, String(e?.message ?? e));
	} finally {
		offerFilter = null;
	}
}

// @moq/lite 0.2.2: new Session(url), offering ["qmux-00", "webtransport"].
await variant("lite qmux-00", (u) => new liteQmux(u), null, { protocol: "" });
await variant("lite webtransport", (u) => new liteQmux(u), only("webtransport"), { protocol: "" });
// @moq/net 0.3.4: everything it offers; the server prefers its first protocol on the newest qmux draft.
const net = (u) => new netQmux(u, { protocols: Object.keys(netVersions), versions: netVersions });
await variant("net default offer", net, null, { protocol: "moq-lite-04" });
await variant("net qmux-01.moq-lite-04", net, only("qmux-01.moq-lite-04"), { protocol: "moq-lite-04" });
await variant("net qmux-00.moq-lite-04", net, only("qmux-00.moq-lite-04"), { protocol: "moq-lite-04" });
await variant("net qmux-02.moq-lite-03", net, only("qmux-02.moq-lite-03"), { protocol: "moq-lite-03" });
await variant("net qmux-02", net, only("qmux-02"), { protocol: "" });
await variant("net qmux-01", net, only("qmux-01"), { protocol: "" });
await variant("net qmux-00", net, only("qmux-00"), { protocol: "" });
await variant("net webtransport", net, only("webtransport"), { protocol: "" });

// DATAGRAM frames (draft-ietf-quic-qmux-01/02) with @moq/qmux 0.3.3: on qmux-01/02 both ends advertise
// max_datagram_frame_size, so once the server's parameters arrived the session's datagram size is above 0
// and datagrams written to it come back from the server's echo byte for byte; on qmux-00 the size stays 0.
async function datagramEcho(name, filter, expectDatagrams) {
	offerFilter = filter;
	const url = `http://127.0.0.1:${port}/interop/${encodeURIComponent(name)}?datagrams`;
	let session;
	try {
		session = net(url);
		await withTimeout(session.ready, 5000, "ready");
		offerFilter = null;
		// A stream round trip: by its end the server's transport parameters have been read.
		check(`${name}: bidi echo before datagrams`, await withTimeout(bidiEcho(session, pattern(10, 9)), 5000, "bidi"));
		const size = session.datagrams.maxDatagramSize;
		if (!expectDatagrams) {
			check(`${name}: no datagrams`, size === 0, `maxDatagramSize=${size}`);
			return;
		}
		check(`${name}: datagram size from the server's max_datagram_frame_size`, size > 1200, `maxDatagramSize=${size}`);
		const reader = session.datagrams.readable.getReader();
		const writer = session.datagrams.writable.getWriter();
		// One at a time: @moq/qmux sheds a datagram written while its socket still buffers the previous one
		// (scheduler.js enqueueDatagram), as an unreliable datagram may be; a lost one is written again.
		const sent = [pattern(5, 1), pattern(1200, 2), pattern(size, 3)];
		const back = [];
		let pending = reader.read();
		for (const d of sent) {
			let echo;
			for (let attempt = 0; attempt < 5 && echo === undefined; attempt++) {
				await writer.write(d);
				echo = await Promise.race([pending, new Promise((r) => setTimeout(() => r(undefined), 1000))]);
			}
			if (echo === undefined) break;
			back.push(echo.value);
			pending = reader.read();
		}
		const same = (a, b) => a !== undefined && a.byteLength === b.byteLength && a.every((x, j) => x === b[j]);
		check(`${name}: datagrams of 5, 1200 and ${size} bytes echoed byte for byte`, sent.every((d, i) => same(back[i], d)),
			back.map((b) => b?.byteLength).join(","));
		pending.catch(() => {}); // the read still waiting ends with the session
	} catch (e) {
		check(`${name}: datagrams`, false, String(e?.message ?? e));
	} finally {
		offerFilter = null;
		try {
			session?.close();
		} catch {}
	}
}
await datagramEcho("net qmux-02.moq-lite-05 datagrams", only("qmux-02.moq-lite-05"), true);
await datagramEcho("net qmux-01.moq-lite-05 datagrams", only("qmux-01.moq-lite-05"), true);
await datagramEcho("net qmux-00.moq-lite-05 datagrams", only("qmux-00.moq-lite-05"), false);

// @moq/qmux 0.0.x surfaces the WebSocket close, not the frame's code: check it decoded the frame cleanly.
await serverClose("lite qmux-00", (u) => new liteQmux(u), null, false);
await serverClose("lite webtransport", (u) => new liteQmux(u), only("webtransport"), false);
await serverClose("net default offer", net, null, true);
await serverClose("net qmux-00", net, only("qmux-00"), true);
await serverClose("net qmux-01", net, only("qmux-01"), true);
await serverClose("net webtransport", net, only("webtransport"), true);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
