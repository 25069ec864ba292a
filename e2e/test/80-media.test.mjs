// (i) Real media through the relay: ffmpeg encodes a few seconds of test pattern and tone (H.264 + Opus,
// and H.264 + AAC) as fragmented MP4; `jmoq pub --format fmp4` publishes it over raw QUIC (moqt://) as a
// hang broadcast, from the file (looping) and from stdin as ffmpeg writes it; @moq/watch 0.4.6 in headless
// Chromium plays it over WebTransport and over WebSocket (its decoder's picture count advances, at the
// encoded size), and `jmoq sub --format fmp4` writes it back as MP4 whose streams ffprobe reads. Also a
// fake camera published by @moq/publish 0.2.17 in Chromium (Annex B H.264 without a description) is
// written by `jmoq sub --format fmp4` as MP4 that ffprobe reads. Without ffmpeg the file fails at once
// with the command that installs it.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
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

/**
 * Starts `jmoq pub --format fmp4` on `file`: with `--loop`, or (stdin) fed by ffmpeg copying the file again
 * and again at its own speed (`-re -stream_loop -1 -c copy`), as a live ffmpeg would write it; resolves
 * once `pub` has read the tracks.
 */
function publish(file, broadcast, { stdin = false } = {}) {
  const args = ["pub", "--url", `moqt://127.0.0.1:${relay.port}/`, "--cert-sha256", process.env.RELAY_CERT_SHA256,
    "--broadcast", broadcast, "--format", "fmp4", ...(stdin ? ["--input", "-"] : ["--input", file, "--loop"])];
  const p = spawn(relay.jmoq, args, { stdio: [stdin ? "pipe" : "ignore", "ignore", "pipe"] });
  let ff;
  if (stdin) {
    ff = spawn("ffmpeg", ["-hide_banner", "-loglevel", "error", "-re", "-stream_loop", "-1", "-i", file, "-c", "copy",
      "-flush_packets", "1", "-f", "mp4", "-movflags", MOVFLAGS, "-"], { stdio: ["ignore", "pipe", "inherit"] });
    ff.stdout.pipe(p.stdin);
    p.stdin.on("error", () => {}); // pub gone: ffmpeg is stopped with it
  }
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
  return {
    ready,
    stderr: () => err,
    stop() {
      if (ff && ff.exitCode === null) ff.kill("SIGKILL");
      if (p.exitCode === null) p.kill("SIGTERM");
    },
  };
}

/**
 * `jmoq sub --format fmp4` for `seconds` into `file`, by `--out` (default), its stdout, or `--record` into a
 * fresh directory (then the one file there is moved to `file`); resolves with its stderr.
 */
function receive(broadcast, file, seconds, how = "out") {
  const args = ["sub", "--url", `moqt://127.0.0.1:${relay.port}/`, "--cert-sha256", process.env.RELAY_CERT_SHA256,
    "--broadcast", broadcast, "--format", "fmp4", "--duration", `PT${seconds}S`];
  const dir = `${file}.d`;
  if (how === "out") args.push("--out", file);
  if (how === "record") {
    rmSync(dir, { recursive: true, force: true });
    args.push("--record", dir);
  }
  const fd = how === "stdout" ? openSync(file, "w") : "ignore";
  return new Promise((resolve, reject) => {
    const p = spawn(relay.jmoq, args, { stdio: ["ignore", fd, "pipe"] });
    if (fd !== "ignore") closeSync(fd);
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`jmoq sub did not end within ${seconds + 60} s\nstderr: ${err.slice(-1500)}`));
    }, (seconds + 60) * 1000);
    p.on("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`jmoq sub exited ${code}\nstderr: ${err.slice(-1500)}`));
      if (how === "record") {
        const kept = readdirSync(dir);
        if (kept.length !== 1 || !kept[0].endsWith(".mp4")) return reject(new Error(`--record kept ${JSON.stringify(kept)}\n${err}`));
        renameSync(join(dir, kept[0]), file);
      }
      resolve(err);
    });
  });
}

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
      "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
      "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--user-data-dir=${profile}`],
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

/** ffprobe's view of a file's streams (frames counted by decoding). */
function probe(file) {
  return JSON.parse(run("ffprobe", ["-v", "error", "-count_frames", "-show_entries",
    "stream=codec_type,codec_name,width,height,sample_rate,channels,nb_read_frames", "-of", "json", file])).streams;
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
      const stderr = await receive(broadcast, out, 4, input === "file" ? "out" : "stdout");
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
      pub.stop();
    });
  });
}

test("@moq/publish (fake camera, Chromium, WebTransport) -> jmoq sub --format fmp4 -> ffprobe", async (t) => {
  await withContext(t, async () => {
    const broadcast = `e2e/media-browser-${process.pid}`;
    const page = await browser.newPage();
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
          stderr = await receive(broadcast, out, 4, "record");
          if (statSync(out).size > 10_000) break;
        } catch (e) {
          if (attempt >= 10) throw e;
        }
        if (attempt >= 10) throw new Error(`jmoq sub wrote ${statSync(out).size} bytes in 10 attempts\n${stderr}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      t.diagnostic(`jmoq sub: ${stderr.split("\n").filter((l) => l.startsWith("catalog") || l.startsWith("received")).join(" | ")}`);
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
