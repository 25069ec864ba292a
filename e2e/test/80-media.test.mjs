// (i) Real media through the relay: ffmpeg encodes a few seconds of test pattern and tone (H.264 + Opus,
// and H.264 + AAC) as fragmented MP4; `jmoq pub --format fmp4` publishes it over raw QUIC (moqt://) as a
// hang broadcast, from the file (looping) and from stdin as ffmpeg writes it; @moq/watch 0.4.6 in headless
// Chromium plays it over WebTransport and over WebSocket (its decoder's picture count advances, at the
// encoded size), and `jmoq sub --format fmp4` writes it back as MP4 whose streams ffprobe reads. The same
// across protocol families: published over IETF moq-transport (moqt-20), played by @moq/watch on IETF
// sessions (WebTransport moqt-16, WebSocket qmux-NN.moqt-15) and received by `jmoq sub` over moq-lite. Also
// a fake camera published by @moq/publish 0.2.17 in Chromium (Annex B H.264 without a description) is
// recorded by `jmoq sub --format fmp4 --record` until stopped with SIGINT (as Ctrl-C does), and ffprobe
// reads the whole file; `jmoq pub` stopped with SIGTERM ends its broadcast and says what it published.
// Without ffmpeg or Chromium the file fails at once with the command that installs them.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import * as esbuild from "esbuild";
import { launchChromium } from "../lib/browser.mjs";
import { relay, withContext } from "../lib/env.mjs";
import { HEIGHT, WIDTH, encode, probe, publish, receive, requireFfmpeg } from "../lib/media.mjs";

const e2eDir = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The watch and publish pages (page/watch-entry.mjs, page/publish-entry.mjs bundled with esbuild), served from 127.0.0.1. */
async function servePage() {
  const pages = {};
  for (const name of ["watch", "publish"]) {
    const r = await esbuild.build({
      entryPoints: [join(e2eDir, `page/${name}-entry.mjs`)],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "chrome120",
      write: false,
      logLevel: "silent",
    });
    pages[`/${name}.js`] = r.outputFiles[0].contents;
    pages[`/${name}`] = `<!doctype html><meta charset="utf-8"><title>jmoq ${name}</title><body style="margin:0;background:#000"><script type="module" src="/${name}.js"></script></body>`;
  }
  const server = createServer((req, res) => {
    const body = pages[req.url.split("?")[0]];
    if (body === undefined) res.writeHead(404).end();
    else res.writeHead(200, { "content-type": req.url.includes(".js") ? "text/javascript" : "text/html" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const work = mkdtempSync(join(tmpdir(), "jmoq-e2e-media-"));
let server;
let chromium;
const publishers = [];

before(async () => {
  requireFfmpeg();
  server = await servePage();
  chromium = await launchChromium(["--autoplay-policy=no-user-gesture-required", "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]);
});

after(async () => {
  await Promise.all(publishers.map((p) => p.stop()));
  await chromium?.close();
  server?.close();
  rmSync(work, { recursive: true, force: true });
});

/**
 * Opens the watch page for `broadcast` over `transport` (offering only `protocol` when given) and waits for
 * 30 pictures, then 30 more.
 */
async function watch(t, broadcast, transport, protocol = undefined) {
  const page = await chromium.browser.newPage();
  const log = [];
  page.on("console", (m) => {
    log.push(`${m.type()} ${m.text()}`);
    if (log.length > 200) log.shift();
  });
  page.on("pageerror", (e) => log.push(`pageerror ${e.message}`));
  try {
    const q = new URLSearchParams({ url: relay.url, name: broadcast, transport, ...(protocol ? { protocol } : {}) });
    await page.goto(`http://127.0.0.1:${server.address().port}/watch?${q}`, { waitUntil: "load", timeout: 30_000 });
    await page.waitForFunction(() => window.watch?.frames >= 30, { timeout: 45_000, polling: 100 });
    const first = await page.evaluate(() => window.watch.frames);
    await page.waitForFunction((n) => window.watch.frames >= n + 30, { timeout: 30_000, polling: 100 }, first);
    const s = await page.evaluate(() => JSON.parse(JSON.stringify(window.watch)));
    t.diagnostic(`${transport}: ${s.frames} pictures decoded (was ${first}) at ${s.width}x${s.height}, ${s.transport} ${s.version}, audio ${JSON.stringify(s.audio)}`);
    return s;
  } catch (e) {
    e.message += `\n--- page console (tail) ---\n${log.slice(-40).join("\n")}`;
    throw e;
  } finally {
    await page.close().catch(() => {});
  }
}

for (const [audio, input] of [["opus", "file"], ["aac", "stdin"]]) {
  test(`ffmpeg H.264 + ${audio} -> jmoq pub --format fmp4 (${input}, raw QUIC) -> @moq/watch in Chromium and jmoq sub --format fmp4`, async (t) => {
    await withContext(t, async () => {
      const file = join(work, `test-${audio}.mp4`);
      encode(file, audio);
      const broadcast = `e2e/media-${audio}-${process.pid}`;
      const pub = publish(file, broadcast, { stdin: input === "stdin" });
      publishers.push(pub);
      t.diagnostic(`published tracks ${await pub.ready}`);

      for (const transport of ["webtransport", "websocket"]) {
        const s = await watch(t, broadcast, transport);
        assert.equal(s.transport, transport, `the player connected over ${s.transport}`);
        assert.equal(s.width, WIDTH);
        assert.equal(s.height, HEIGHT);
        const renditions = Object.values(s.catalog?.audio?.renditions ?? {});
        assert.ok(renditions.some((r) => (audio === "opus" ? r.codec === "opus" : r.codec.startsWith("mp4a.40."))),
          `the catalog's audio: ${JSON.stringify(s.catalog?.audio)}`);
        assert.deepEqual(s.errors, []);
      }

      const out = join(work, `received-${audio}.mp4`);
      // --out for the file, stdout (as `| ffplay -` reads it) for the pipe
      const stderr = await receive(broadcast, out, { how: input === "file" ? "out" : "stdout" });
      t.diagnostic(`jmoq sub: ${stderr.split("\n").filter((l) => l.startsWith("received")).join(" ")}`);
      assert.ok(statSync(out).size > 10_000, `${out} has ${statSync(out).size} bytes`);
      const streams = probe(out);
      t.diagnostic(`ffprobe: ${JSON.stringify(streams)}`);
      const video = streams.find((x) => x.codec_type === "video");
      const sound = streams.find((x) => x.codec_type === "audio");
      assert.equal(video?.codec_name, "h264");
      assert.equal(video.width, WIDTH);
      assert.equal(video.height, HEIGHT);
      assert.ok(Number(video.nb_read_frames) >= 60, `only ${video.nb_read_frames} video frames in 4 s`);
      assert.equal(sound?.codec_name, audio);
      assert.equal(Number(sound.sample_rate), 48000);
      assert.ok(Number(sound.nb_read_frames) >= 50, `only ${sound.nb_read_frames} audio frames in 4 s`);
      // SIGTERM (or Ctrl-C) ends `pub` as --duration does: groups finished, the session closed, a summary.
      const exit = await pub.stop();
      assert.equal(exit.code, 143, `jmoq pub exited ${JSON.stringify(exit)}\n${pub.stderr().slice(-1500)}`);
      assert.match(pub.stderr(), /published frames=\d+ groups=\d+/);
    });
  });
}

// @moq/watch picks the catalog format by the broadcast's name (hang's catalog.json unless it ends in .msf),
// not by the session's protocol, so the hang catalog and legacy frames play on an IETF session too. Its
// @moq/net 0.2.8 speaks drafts 15 to 19, but the relay closes its sessions on drafts 17+ at the first
// SUBSCRIBE ("unknown message parameter 0x1b21"), so the player is held to drafts 16 and 15 here.
test("IETF moq-transport: ffmpeg -> jmoq pub --format fmp4 over moqt-20 (raw QUIC) -> @moq/watch on IETF sessions, jmoq sub --format fmp4 over moq-lite", async (t) => {
  await withContext(t, async () => {
    const file = join(work, "test-ietf.mp4");
    encode(file, "opus");
    const broadcast = `e2e/media-ietf-${process.pid}`;
    const pub = publish(file, broadcast, { protocol: "moqt-20" });
    publishers.push(pub);
    t.diagnostic(`published tracks ${await pub.ready} over ${pub.version()}`);
    assert.equal(pub.version(), "moqt-20");

    for (const [transport, protocol] of [["webtransport", "moqt-16"], ["websocket", "moqt-15"]]) {
      const s = await watch(t, broadcast, transport, protocol);
      assert.equal(s.transport, transport, `the player connected over ${s.transport}`);
      assert.equal(s.version, `moq-transport-${protocol.slice("moqt-".length)}`, `the player's session`);
      assert.equal(s.width, WIDTH);
      assert.equal(s.height, HEIGHT);
      assert.deepEqual(s.errors, []);
    }

    const out = join(work, "received-ietf.mp4");
    const stderr = await receive(broadcast, out, { protocol: "lite" });
    t.diagnostic(`jmoq sub: ${stderr.split("\n").filter((l) => l.startsWith("connected") || l.startsWith("received")).join(" | ")}`);
    assert.match(stderr, /connected version=moq-lite-/);
    const streams = probe(out);
    t.diagnostic(`ffprobe: ${JSON.stringify(streams)}`);
    const video = streams.find((x) => x.codec_type === "video");
    const sound = streams.find((x) => x.codec_type === "audio");
    assert.equal(video?.codec_name, "h264");
    assert.equal(video.width, WIDTH);
    assert.ok(Number(video.nb_read_frames) >= 60, `only ${video.nb_read_frames} video frames in 4 s`);
    assert.equal(sound?.codec_name, "opus");
    assert.ok(Number(sound.nb_read_frames) >= 50, `only ${sound.nb_read_frames} audio frames in 4 s`);
    await pub.stop();
  });
});

test("@moq/publish (fake camera, Chromium, WebTransport) -> jmoq sub --format fmp4 --record, stopped by SIGINT -> ffprobe", async (t) => {
  await withContext(t, async () => {
    const broadcast = `e2e/media-browser-${process.pid}`;
    const page = await chromium.browser.newPage();
    const log = [];
    page.on("console", (m) => {
      log.push(`${m.type()} ${m.text()}`);
      if (log.length > 200) log.shift();
    });
    try {
      const q = new URLSearchParams({ url: relay.url, name: broadcast });
      await page.goto(`http://127.0.0.1:${server.address().port}/publish?${q}`, { waitUntil: "load", timeout: 30_000 });
      await page.waitForFunction(() => window.publish?.status === "connected", { timeout: 30_000, polling: 100 });
      const out = join(work, "received-browser.mp4");
      // The broadcast is announced once the camera runs: until then `sub` ends at once (no such broadcast).
      let stderr;
      for (let attempt = 1; ; attempt++) {
        try {
          stderr = await receive(broadcast, out, { how: "record", interruptAt: 200_000 });
          if (statSync(out).size > 10_000) break;
        } catch (e) {
          if (attempt >= 10) throw e;
        }
        if (attempt >= 10) throw new Error(`jmoq sub wrote ${statSync(out).size} bytes in 10 attempts\n${stderr}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      t.diagnostic(`jmoq sub: ${stderr.split("\n").filter((l) => l.startsWith("catalog") || l.startsWith("received")).join(" | ")}`);
      // Ctrl-C finishes the recording: the summary is written and the file holds every byte it counts.
      const summary = /received frames=\d+ samples=\d+ bytes=(\d+) .*stopped by signal/.exec(stderr);
      assert.ok(summary, `no summary after SIGINT:\n${stderr}`);
      assert.equal(statSync(out).size, Number(summary[1]), "the recording was flushed");
      const streams = probe(out);
      t.diagnostic(`ffprobe: ${JSON.stringify(streams)}`);
      const video = streams.find((x) => x.codec_type === "video");
      assert.equal(video?.codec_name, "h264", JSON.stringify(streams));
      assert.ok(video.width > 0 && video.height > 0, JSON.stringify(video));
      assert.ok(Number(video.nb_read_frames) >= 30, `only ${video.nb_read_frames} video frames in 4 s`);
      const sound = streams.find((x) => x.codec_type === "audio");
      assert.ok(sound && ["opus", "aac"].includes(sound.codec_name), JSON.stringify(streams));
      assert.ok(Number(sound.nb_read_frames) >= 50, `only ${sound.nb_read_frames} audio frames in 4 s`);
    } catch (e) {
      e.message += `\n--- publish page console (tail) ---\n${log.slice(-40).join("\n")}`;
      throw e;
    } finally {
      await page.close().catch(() => {});
    }
  });
});
