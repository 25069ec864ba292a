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
const PubNs = await load("ietf/publish_namespace.js");
const SubNs = await load("ietf/subscribe_namespace.js");
const Pub = await load("ietf/publish.js");
const Track = await load("ietf/track.js");
const Obj = await load("ietf/object.js");
const Fetch = await load("ietf/fetch.js");

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
	await put("publish_namespace", PubNs.PublishNamespace, new PubNs.PublishNamespace({ requestId: 12n, trackNamespace: "moq-test/interop" }));
	if (n <= 16) {
		await put("publish_namespace_done", PubNs.PublishNamespaceDone, new PubNs.PublishNamespaceDone({ trackNamespace: "moq-test/interop", requestId: 12n }));
		await put("publish_namespace_cancel", PubNs.PublishNamespaceCancel, new PubNs.PublishNamespaceCancel({ trackNamespace: "moq-test/interop", requestId: 12n, errorCode: 1, reasonPhrase: "gone" }));
	}
	if (n <= 17) {
		await put("subscribe_namespace", SubNs.SubscribeNamespaceLegacy, new SubNs.SubscribeNamespaceLegacy({ namespace: "moq-test", requestId: 14n }));
	} else {
		await put("subscribe_namespace", SubNs.SubscribeNamespace, new SubNs.SubscribeNamespace({ namespace: "moq-test", requestId: 14n }));
	}
	if (n >= 16) {
		await put("namespace", SubNs.SubscribeNamespaceEntry, new SubNs.SubscribeNamespaceEntry({ suffix: "interop" }));
		await put("namespace_done", SubNs.SubscribeNamespaceEntryDone, new SubNs.SubscribeNamespaceEntryDone({ suffix: "interop" }));
	}
	if (n >= 17) {
		await put("publish_blocked", SubNs.PublishBlocked, new SubNs.PublishBlocked({ suffix: "interop", trackName: "test-track" }));
	}
	// LARGEST_OBJECT: @moq/net 0.3.4 length-prefixes it on 17-19 too, where the drafts do not.
	const largest = n >= 17 && n <= 19 ? undefined : { groupId: 300n, objectId: 4n };
	await put("publish", Pub.Publish, new Pub.Publish({ requestId: 16n, trackNamespace: "moq-test/interop", trackName: "test-track", trackAlias: 1001n, groupOrder: 2, contentExists: !!largest, largest, forward: true }));
	await put("publish_done", Pub.PublishDone, new Pub.PublishDone({ requestId: 8n, statusCode: 2, reasonPhrase: "track ended" }));
	await put("track_status", Track.TrackStatusRequest, new Track.TrackStatusRequest({ requestId: 18n, trackNamespace: "moq-test/interop", trackName: "test-track" }));

	// Data plane: a subgroup stream (header then objects) as the package's publisher writes it.
	const streams = [["subgroup_stream", { hasExtensions: true, hasSubgroupObject: false, hasSubgroup: true, hasEnd: true, hasPriority: true, firstObject: true }]];
	if (n >= 15) {
		streams.push(["subgroup_stream_default_priority", { hasExtensions: false, hasSubgroupObject: false, hasSubgroup: false, hasEnd: false, hasPriority: false, firstObject: true }]);
	}
	for (const [name, flags] of streams) {
		vectors[`${d}/${name}`] = await capture(async (w) => {
			await new Obj.Group({ trackAlias: 5n, groupId: 300, subGroupId: flags.hasSubgroup ? 2 : 0, publisherPriority: 7, flags }).encode(w, v);
			await new Obj.Frame({ payload: new TextEncoder().encode("hello") }).encode(w, flags, undefined, v);
			await new Obj.Frame({ payload: new Uint8Array(0) }).encode(w, flags, undefined, v);
			await new Obj.Frame().encode(w, flags, undefined, v);
		}, v);
	}
	if (n >= 15) {
		vectors[`${d}/fetch_stream`] = await capture(async (w) => {
			await w.u53(Fetch.FetchHeader.type);
			await new Fetch.FetchHeader({ requestId: 20n }).encode(w, v);
			for (let i = 0; i < 3; i++) {
				await new Obj.FetchFrame({ payload: new TextEncoder().encode(`f${i}`) }).encode(w, { first: i === 0, group: 10, object: 4 + i }, undefined, v);
			}
		}, v);
	}
}
console.log(JSON.stringify({ package: pkg.name, version: pkg.version, vectors }, null, 2));
