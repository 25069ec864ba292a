// (i) Real media through the relay: ffmpeg encodes a few seconds of test pattern and tone (H.264 + Opus,
// and H.264 + AAC) as fragmented MP4; `jmoq pub --format fmp4` publishes it over raw QUIC (moqt://) as a
// hang broadcast; @moq/watch 0.4.6 in headless Chromium plays it over WebTransport and over WebSocket (its
// decoder's picture count advances, at the encoded size), and `jmoq sub --format fmp4` writes it back as
// MP4 whose streams ffprobe reads. Without ffmpeg the file fails at once with the command that installs it.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import * as esbuild from "esbuild";
import puppeteer from "puppeteer-core";
import { CHROMIUM } from "../lib/browser.mjs";
import { relay, withContext } from "../lib/env.mjs";

const e2eDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const INSTALL_FFMPEG = "apt-get update && apt-get install -y --no-install-recommends ffmpeg";
const WIDTH = 320;
const HEIGHT = 240;
const MOVFLAGS = "cmaf+separate_moof+delay_moov+skip_trailer+frag_every_frame";

/** Fails at once (never hangs) when ffmpeg or ffprobe is missing, naming the command that installs them. */
function requireFfmpeg() {
  for (const tool of ["ffmpeg", "ffprobe"]) {
    const r = spawnSync(tool, ["-version"], { encoding: "utf8", timeout: 10_000 });
    if (r.error || r.status !== 0) {
      throw new Error(`${tool} is missing (${r.error?.code ?? `exit ${r.status}`}): install it with \`${INSTALL_FFMPEG}\``);
    }
  }
}

/** Runs a tool to completion within `ms`; returns its stdout, or throws with its stderr. */
function run(tool, args, ms = 60_000) {
  const r = spawnSync(tool, args, { encoding: "utf8", timeout: ms, maxBuffer: 16 << 20 });
  if (r.error || r.status !== 0) {
    throw new Error(`${tool} ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}):\n${(r.stderr ?? "").slice(-1500)}`);
  }
  return r.stdout;
}

/** Four seconds of test pattern (30 fps, a keyframe every second) and a 440 Hz tone, as fragmented MP4. */
function encode(file, audio) {
  const audioArgs = audio === "opus" ? ["-c:a", "libopus", "-b:a", "64k"] : ["-c:a", "aac", "-b:a", "96k"];
  run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", `testsrc2=size=${WIDTH}x${HEIGHT}:rate=30`,
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
    ...audioArgs, "-f", "mp4", "-movflags", MOVFLAGS, file]);
}

/** Starts `jmoq pub --format fmp4 --loop` on `file`; resolves once it has read the file's tracks. */
function publish(file, broadcast) {
  const args = ["pub", "--url", `moqt://127.0.0.1:${relay.port}/`, "--cert-sha256", process.env.RELAY_CERT_SHA256,
    "--broadcast", broadcast, "--format", "fmp4", "--input", file, "--loop"];
  const p = spawn(relay.jmoq, args, { stdio: ["ignore", "ignore", "pipe"] });
  let err = "";
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`jmoq pub: no tracks within 60 s\nstderr: ${err.slice(-1500)}`)), 60_000);
    p.stderr.on("data", (d) => {
      err += d;
      const m = /tracks (\{[^}]*\})/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    p.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`jmoq pub exited ${code} before publishing\nstderr: ${err.slice(-1500)}`));
    });
  });
  return { ready, stderr: () => err, stop: () => p.exitCode === null && p.kill("SIGTERM") };
}

/** `jmoq sub --format fmp4` for `seconds` into `file`; resolves with its stderr. */
function receive(broadcast, file, seconds) {
  const args = ["sub", "--url", `moqt://127.0.0.1:${relay.port}/`, "--cert-sha256", process.env.RELAY_CERT_SHA256,
    "--broadcast", broadcast, "--format", "fmp4", "--duration", `PT${seconds}S`, "--out", file];
  return new Promise((resolve, reject) => {
    const p = spawn(relay.jmoq, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`jmoq sub did not end within ${seconds + 60} s\nstderr: ${err.slice(-1500)}`));
    }, (seconds + 60) * 1000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`jmoq sub exited ${code}\nstderr: ${err.slice(-1500)}`));
      else resolve(err);
    });
  });
}

/** The watch page (page/watch-entry.mjs bundled with esbuild), served from 127.0.0.1. */
async function servePage() {
  const r = await esbuild.build({
    entryPoints: [join(e2eDir, "page/watch-entry.mjs")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    write: false,
    logLevel: "silent",
  });
  const js = r.outputFiles[0].contents;
  const html = '<!doctype html><meta charset="utf-8"><title>jmoq watch</title><body style="margin:0;background:#000"><script type="module" src="/watch.js"></script></body>';
  const server = createServer((req, res) => {
    const path = req.url.split("?")[0];
    if (path === "/") res.writeHead(200, { "content-type": "text/html" }).end(html);
    else if (path === "/watch.js") res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

const work = mkdtempSync(join(tmpdir(), "jmoq-e2e-media-"));
let server;
let browser;
const publishers = [];

before(async () => {
  requireFfmpeg();
  server = await servePage();
  const profile = join(work, "chromium");
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    protocolTimeout: 120_000,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required", `--user-data-dir=${profile}`],
  });
});

after(async () => {
  for (const p of publishers) p.stop();
  await browser?.close().catch(() => {});
  server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens the watch page for `broadcast` over `transport` and waits for 30 pictures, then 30 more. */
async function watch(t, broadcast, transport) {
  const page = await browser.newPage();
  const log = [];
  page.on("console", (m) => {
    log.push(`${m.type()} ${m.text()}`);
    if (log.length > 200) log.shift();
  });
  page.on("pageerror", (e) => log.push(`pageerror ${e.message}`));
  try {
    const q = new URLSearchParams({ url: relay.url, name: broadcast, transport });
    await page.goto(`http://127.0.0.1:${server.address().port}/?${q}`, { waitUntil: "load", timeout: 30_000 });
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

for (const audio of ["opus", "aac"]) {
  test(`ffmpeg H.264 + ${audio} -> jmoq pub --format fmp4 (raw QUIC) -> @moq/watch in Chromium and jmoq sub --format fmp4`, async (t) => {
    await withContext(t, async () => {
      const file = join(work, `test-${audio}.mp4`);
      encode(file, audio);
      const broadcast = `e2e/media-${audio}-${process.pid}`;
      const pub = publish(file, broadcast);
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
      const stderr = await receive(broadcast, out, 4);
      t.diagnostic(`jmoq sub: ${stderr.split("\n").filter((l) => l.startsWith("received")).join(" ")}`);
      assert.ok(statSync(out).size > 10_000, `${out} has ${statSync(out).size} bytes`);
      const probe = JSON.parse(run("ffprobe", ["-v", "error", "-count_frames", "-show_entries",
        "stream=codec_type,codec_name,width,height,sample_rate,channels,nb_read_frames", "-of", "json", out]));
      t.diagnostic(`ffprobe: ${JSON.stringify(probe.streams)}`);
      const video = probe.streams.find((x) => x.codec_type === "video");
      const sound = probe.streams.find((x) => x.codec_type === "audio");
      assert.equal(video?.codec_name, "h264");
      assert.equal(video.width, WIDTH);
      assert.equal(video.height, HEIGHT);
      assert.ok(Number(video.nb_read_frames) >= 60, `only ${video.nb_read_frames} video frames in 4 s`);
      assert.equal(sound?.codec_name, audio);
      assert.equal(Number(sound.sample_rate), 48000);
      assert.ok(Number(sound.nb_read_frames) >= 50, `only ${sound.nb_read_frames} audio frames in 4 s`);
      pub.stop();
    });
  });
}
