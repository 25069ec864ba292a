// Captures moq-lite byte vectors from the published npm clients, so the Java codec is checked
// against what real peers put on the wire rather than against our own reading of the drafts.
//
// Run (Node 24) from a directory whose node_modules holds @moq/lite@0.2.2 and @moq/net@0.3.4:
//   npm install @moq/lite@0.2.2 @moq/net@0.3.4
//   node jmoq-wire/src/test/node/capture.mjs <that>/node_modules lite  > jmoq-wire/src/test/resources/vectors/lite-moq-lite-0.2.2.json
//   node jmoq-wire/src/test/node/capture.mjs <that>/node_modules net   > jmoq-wire/src/test/resources/vectors/lite-moq-net-0.3.4.json
//
// Each vector is named "<draft>/<message>" and holds the hex of exactly what the package's own
// message class (or, where a message has no class, its stream writer in the same call sequence the
// package's publisher uses) writes. The field values are mirrored in LiteVectorsTest.java; keep
// the two in step.
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const [root, which] = process.argv.slice(2);
if (!root || (which !== "lite" && which !== "net")) {
	console.error("usage: node capture.mjs <node_modules> lite|net");
	process.exit(2);
}
const pkgDir = `${root}/@moq/${which}`;
const load = (rel) => import(pathToFileURL(`${pkgDir}/${rel}`).href);
const pkg = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8"));

const { Writer } = await load("stream.js");
const Version = (await load("lite/version.js")).Version;
const Ann = await load("lite/announce.js");
const Sub = await load("lite/subscribe.js");
const { Fetch } = await load("lite/fetch.js");
const { Goaway } = await load("lite/goaway.js");
const { Group, Frame } = await load("lite/group.js");
const { Probe } = await load("lite/probe.js");
const Sess = await load("lite/session.js");
const { StreamId } = await load("lite/stream.js");
const IetfSetup = await load("ietf/setup.js");
const { SetupOptions, SetupOption } = await load("ietf/parameters.js");
const IetfVersion = (await load("ietf/version.js")).Version;
const net = which === "net";
const Setup = net ? (await load("lite/setup.js")) : undefined;
const Track = net ? (await load("lite/track.js")) : undefined;
const Datagram = net ? (await load("lite/datagram.js")).Datagram : undefined;

// Collects everything a Writer emits. Chunks are copied: the Writer reuses a scratch buffer.
async function capture(fn, version) {
	const chunks = [];
	const sink = new WritableStream({ write(chunk) { chunks.push(Uint8Array.from(chunk)); } });
	const w = new Writer(sink, version);
	await fn(w);
	w.close();
	await w.closed;
	return Buffer.concat(chunks).toString("hex");
}

const drafts = { "01": Version.DRAFT_01, "02": Version.DRAFT_02, "03": Version.DRAFT_03, "04": Version.DRAFT_04 };
if (net) drafts["05"] = Version.DRAFT_05;
const at = (d, ...set) => set.includes(d);
const pre03 = ["01", "02"];
const from03 = ["03", "04", "05"];
const from04 = ["04", "05"];

const vectors = {};
for (const [d, v] of Object.entries(drafts)) {
	const put = async (name, fn) => { vectors[`${d}/${name}`] = await capture(fn); };

	// ANNOUNCE_PLEASE (AnnounceInterest in @moq/lite, AnnounceRequest in @moq/net).
	const Please = net ? Ann.AnnounceRequest : Ann.AnnounceInterest;
	await put("announce_please", (w) => new Please("room", net ? 0n : 0).encode(w, v));
	await put("announce_please_hop", (w) => new Please("room/sub", net ? 123456789n : 123456789).encode(w, v));
	await put("announce_please_empty", (w) => new Please("", net ? 0n : 0).encode(w, v));

	// ANNOUNCE: active with two hops, ended with none.
	if (net) {
		await put("announce_active", (w) => Ann.encodeAnnounceBroadcast(w, { status: "active", suffix: "alice", hops: [1n, 70000n] }, v));
		await put("announce_ended", (w) => Ann.encodeAnnounceBroadcast(w, { status: "ended", suffix: "bob" }, v));
	} else {
		await put("announce_active", (w) => new Ann.Announce({ suffix: "alice", active: true, hops: [1, 70000] }).encode(w, v));
		await put("announce_ended", (w) => new Ann.Announce({ suffix: "bob", active: false }).encode(w, v));
	}
	if (at(d, ...pre03)) {
		await put("announce_init", (w) => new Ann.AnnounceInit(["a", "b/c", "ünï"]).encode(w, v));
	}
	if (net && d === "05") {
		await put("announce_ok", (w) => new Ann.AnnounceOk(987654321n, 3).encode(w, v));
	}

	// SUBSCRIBE: one with a start group and latency, one bare with a large id.
	await put("subscribe", (w) => new Sub.Subscribe({ id: 7n, broadcast: "room/alice", track: "video", priority: 200, ordered: true, maxLatency: 1500, startGroup: 0 }).encode(w, v));
	await put("subscribe_bare", (w) => new Sub.Subscribe({ id: 1099511627776n, broadcast: "b", track: "", priority: 0 }).encode(w, v));

	// SUBSCRIBE_UPDATE.
	await put("subscribe_update", (w) => new Sub.SubscribeUpdate({ priority: 9, ordered: false, maxLatency: 0, startGroup: 3 }).encode(w, v));
	await put("subscribe_update_end", (w) => new Sub.SubscribeUpdate({ priority: 255, ordered: true, maxLatency: 20000, startGroup: 100, endGroup: 200 }).encode(w, v));

	// Subscribe-stream responses, with the type discriminator where the draft has one.
	const ok = new Sub.SubscribeOk({ priority: 5, ordered: true, maxLatency: 250, startGroup: 10, endGroup: 20 });
	if (!(net && d === "05")) {
		await put("subscribe_ok", (w) => Sub.encodeSubscribeResponse(w, { ok }, v));
	}
	if (at(d, ...from03)) {
		const drop = new Sub.SubscribeDrop({ start: 5, end: 7, error: 2 });
		await put("subscribe_drop", (w) => Sub.encodeSubscribeResponse(w, { drop }, v));
	}
	if (net && d === "05") {
		await put("subscribe_start", (w) => Sub.encodeSubscribeResponse(w, { start: new Sub.SubscribeStart(1234) }, v));
		await put("subscribe_end", (w) => Sub.encodeSubscribeResponse(w, { end: new Sub.SubscribeEnd(0) }, v));
	}

	if (at(d, ...from03)) {
		await put("fetch", (w) => new Fetch("room/alice", "video", 1, 42).encode(w, v));
		if (net) {
			await put("probe", (w) => new Probe({ bitrate: 2500000, rtt: 33 }).encode(w, v));
			await put("probe_unknown", (w) => new Probe({}).encode(w, v));
		} else {
			await put("probe", (w) => new Probe(2500000, 33).encode(w, v));
			await put("probe_unknown", (w) => new Probe(0, undefined).encode(w, v));
		}
	}
	if (at(d, ...from04)) {
		await put("goaway", (w) => new Goaway("https://relay.example/next").encode(w, v));
	}

	// Group stream: type, GROUP header, then frames. Pre-05 frames are size + payload (Frame class);
	// lite-05 prefixes each with a zigzag delta timestamp, written as the publisher's #runGroup does.
	await put("group_stream", async (w) => {
		await w.u53(0);
		await new Group(7n, 1000000).encode(w);
		const zigzag = (x) => (x >= 0n ? x << 1n : (-x << 1n) - 1n);
		let prev = 0n;
		for (const [ts, payload] of [[1000n, "hello"], [990n, ""], [70000n, "x".repeat(70)]]) {
			const bytes = new TextEncoder().encode(payload);
			if (net && d === "05") {
				await w.u62(zigzag(ts - prev));
				prev = ts;
				await w.u53(bytes.byteLength);
				await w.write(bytes);
			} else {
				await new Frame(bytes).encode(w);
			}
		}
	});

	if (at(d, ...pre03)) {
		// Lite 01/02 negotiate on a bidi stream: CLIENT_COMPAT (0x20) then a draft-14 style CLIENT_SETUP
		// with a 16-bit length, answered by SERVER_COMPAT (0x21) and SERVER_SETUP. Values are what
		// connection/connect.js and accept.js send.
		await put("client_setup", async (w) => {
			const params = new SetupOptions();
			params.setVarint(SetupOption.MaxRequestId, 42069n);
			params.setBytes(SetupOption.Implementation, new TextEncoder().encode("moq-lite-js"));
			await w.u53(StreamId.ClientCompat);
			await new IetfSetup.ClientSetup({ versions: [Version.DRAFT_02, Version.DRAFT_01, IetfVersion.DRAFT_14], parameters: params }).encode(w, IetfVersion.DRAFT_14);
		});
		await put("server_setup", async (w) => {
			const params = new SetupOptions();
			params.setVarint(SetupOption.MaxRequestId, 42069n);
			params.setBytes(SetupOption.Implementation, new TextEncoder().encode("moq-lite-js"));
			await w.u53(StreamId.ServerCompat);
			await new IetfSetup.ServerSetup({ version: v, parameters: params }).encode(w, IetfVersion.DRAFT_14);
		});
		await put("session_client", (w) => {
			const ext = new Sess.Extensions();
			ext.set(2n, new Uint8Array([1, 2, 3]));
			return new Sess.SessionClient([Version.DRAFT_02, Version.DRAFT_01], ext).encode(w);
		});
		await put("session_server", (w) => new Sess.SessionServer(v).encode(w));
		await put("session_info", (w) => new Sess.SessionInfo(1500000).encode(w, v));
	}

	if (net && d === "05") {
		await put("setup_empty", async (w) => { await w.u53(1); await new Setup.Setup({}).encode(w, v); });
		await put("setup_server", (w) => new Setup.Setup({ probe: Setup.ProbeLevel.Report, origin: 19088743n }).encode(w, v));
		await put("setup_client", (w) => new Setup.Setup({ probe: Setup.ProbeLevel.Increase, path: "room/alice?jwt=abc", role: Setup.Role.Subscriber }).encode(w, v));
		await put("track", (w) => new Track.Track("room/alice", "video").encode(w, v));
		await put("track_info", (w) => new Track.TrackInfo({ priority: 3, ordered: true, latencyMax: 5000, timescale: 90000 }).encode(w, v));
		await put("datagram", async (w) => { await w.write(new Datagram(7n, 12, 123456, new Uint8Array([0xde, 0xad, 0xbe, 0xef])).encode()); });
	}
}

const out = { package: pkg.name, version: pkg.version, vectors };
process.stdout.write(JSON.stringify(out, null, 2) + "\n");
