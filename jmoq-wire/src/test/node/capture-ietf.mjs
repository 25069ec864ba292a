// Captures moq-transport (IETF) control-message byte vectors from the published @moq/net client, so the
// Java codec in dev.jmoq.wire.ietf is checked against what a real peer puts on the wire.
//
// Run (Node 24) with a node_modules that holds @moq/net@0.3.4 (e2e/ after `npm ci --ignore-scripts`):
//   node jmoq-wire/src/test/node/capture-ietf.mjs e2e/node_modules > jmoq-wire/src/test/resources/vectors/ietf-moq-net-0.3.4.json
//
// Each vector "<draft>/<message>" is the hex of the message type (in the draft's varint) followed by
// exactly what the package's own message class writes (16-bit length and body). Field values are
// mirrored in IetfVectorsTest.java; keep the two in step.
import { pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const [root] = process.argv.slice(2);
if (!root) {
	console.error("usage: node capture-ietf.mjs <node_modules>");
	process.exit(2);
}
const pkgDir = `${root}/@moq/net`;
const load = (rel) => import(pathToFileURL(`${pkgDir}/${rel}`).href);
const pkg = JSON.parse(readFileSync(`${pkgDir}/package.json`, "utf8"));

const { Writer } = await load("stream.js");
const { Version } = await load("ietf/version.js");
const { ClientSetup, ServerSetup, Setup } = await load("ietf/setup.js");
const { SetupOptions, SetupOption } = await load("ietf/parameters.js");
const { GoAway } = await load("ietf/goaway.js");
const { MaxRequestId, RequestsBlocked, RequestOk, RequestError } = await load("ietf/request.js");
const Sub = await load("ietf/subscribe.js");

async function capture(fn, version) {
	const chunks = [];
	const sink = new WritableStream({ write(chunk) { chunks.push(Uint8Array.from(chunk)); } });
	const w = new Writer(sink, version);
	await fn(w);
	w.close();
	await w.closed;
	return Buffer.concat(chunks).toString("hex");
}

const drafts = {
	14: Version.DRAFT_14, 15: Version.DRAFT_15, 16: Version.DRAFT_16, 17: Version.DRAFT_17,
	18: Version.DRAFT_18, 19: Version.DRAFT_19, 20: Version.DRAFT_20,
};
const vectors = {};
for (const [d, v] of Object.entries(drafts)) {
	const n = Number(d);
	const put = async (name, cls, msg) => {
		vectors[`${d}/${name}`] = await capture(async (w) => {
			await w.u53(cls.id);
			await msg.encode(w, v);
		}, v);
	};
	const options = () => {
		const o = new SetupOptions();
		o.setBytes(SetupOption.Path, new TextEncoder().encode("/room"));
		o.setBytes(SetupOption.Implementation, new TextEncoder().encode("moq-js"));
		if (n <= 16) o.setVarint(SetupOption.MaxRequestId, 100n);
		return o;
	};
	if (n <= 16) {
		await put("client_setup", ClientSetup, new ClientSetup({ versions: [Version.DRAFT_14], parameters: options() }));
		await put("server_setup", ServerSetup, new ServerSetup({ version: Version.DRAFT_14, parameters: options() }));
		await put("max_request_id", MaxRequestId, new MaxRequestId({ requestId: 300n }));
		await put("requests_blocked", RequestsBlocked, new RequestsBlocked({ requestId: 70000n }));
		await put("unsubscribe", Sub.Unsubscribe, new Sub.Unsubscribe({ requestId: 2n }));
	} else {
		await put("setup", Setup, new Setup({ parameters: options() }));
	}
	await put("goaway", GoAway, new GoAway({ newSessionUri: "https://relay.example/next", timeout: 5000n }));
	await put("goaway_empty", GoAway, new GoAway({ newSessionUri: "" }));
	if (n >= 15) {
		await put("request_ok", RequestOk, new RequestOk({ requestId: 4n }));
	}
	await put("request_error", RequestError, new RequestError({ requestId: 6n, errorCode: 0x10, reasonPhrase: "not found", retryInterval: 250n }));
	for (const [name, filter] of [
		["subscribe_largest", { kind: "nextObject" }],
		["subscribe_next_group", { kind: "relative", groups: 0n }],
		["subscribe_absolute_start", { kind: "absolute", startGroup: 5n, startObject: 2n }],
		["subscribe_absolute_range", { kind: "absolute", startGroup: 5n, startObject: 2n, endGroup: 300n }],
	]) {
		await put(name, Sub.Subscribe, new Sub.Subscribe({ requestId: 8n, trackNamespace: "moq-test/interop", trackName: "test-track", subscriberPriority: 200, filter }));
	}
	if (n === 20) {
		await put("subscribe_relative", Sub.Subscribe, new Sub.Subscribe({ requestId: 8n, trackNamespace: "moq-test/interop", trackName: "test-track", subscriberPriority: 200, filter: { kind: "relative", groups: 1n } }));
	}
	await put("subscribe_ok", Sub.SubscribeOk, new Sub.SubscribeOk({ requestId: 8n, trackAlias: 1000n, properties: n >= 17 ? { groupOrder: 2 } : {} }));
	await put("request_update", Sub.SubscribeUpdate, new Sub.SubscribeUpdate({ requestId: 10n }));
}
console.log(JSON.stringify({ package: pkg.name, version: pkg.version, vectors }, null, 2));
