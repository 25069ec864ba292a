// (h) The relay's own pages, in headless Chromium with a fake camera and microphone: /publish/<name>
// publishes with @moq/publish, /watch/<name> in a second page decodes the video with @moq/watch (its frame
// counter advances and a screenshot of the picture is not blank), the dashboard at / shows the
// broadcast with its viewer and a bitrate chart that moves, and `jmoq sub --format fmp4` receives the same
// broadcast as MP4 whose streams ffprobe reads. The same for a file encoded by ffmpeg and
// published with `jmoq pub --format fmp4` over raw QUIC. Also the pages' HTTP contract: types, caching,
// 404 for anything unknown (no listing, no path traversal), and the dashboard's data on both listeners; with
// auth on (a second relay with --auth-key), the data and its live feed need a token granting the whole relay,
// and the page given one as #token= follows the feed live.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, test } from "node:test";
import { launchChromium } from "../lib/browser.mjs";
import { relay, withContext } from "../lib/env.mjs";
import { HEIGHT, WIDTH, encode, pixelStats, probe, publish, receive, requireFfmpeg, run } from "../lib/media.mjs";

const e2eDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const name = `e2e/pages-${process.pid}`;
const adminUrl = `http://127.0.0.1:${process.env.RELAY_ADMIN_PORT}/`;
const FAKE_MEDIA = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--autoplay-policy=no-user-gesture-required"];

/** A raw GET (no normalisation of the path, unlike fetch), bounded to 10 s; no keep-alive (nothing left open). */
function get(base, path, { method = "GET", headers = {} } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, method, headers, timeout: 10_000, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${path}: no answer within 10 s`)));
    req.on("error", reject);
    req.end();
  });
}

test("pages: types, caching, 404 for unknown paths and traversal, 405 for other methods", async (t) => {
  await withContext(t, async () => {
    const index = await get(relay.url, "/");
    assert.equal(index.status, 200);
    assert.match(index.headers["content-type"], /^text\/html/);
    assert.equal(index.headers["cache-control"], "no-cache");
    const scripts = [...index.body.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(scripts.length >= 2, `the dashboard names its assets: ${index.body}`);
    for (const path of scripts) {
      const a = await get(relay.url, path);
      assert.equal(a.status, 200, path);
      assert.match(a.headers["content-type"], path.endsWith(".css") ? /^text\/css/ : /^text\/javascript/, path);
      assert.match(a.headers["cache-control"], /immutable/, path);
      const again = await get(relay.url, path, { headers: { "if-none-match": a.headers.etag } });
      assert.equal(again.status, 304, `${path} revalidates with its ETag`);
    }
    for (const path of [`/watch/${name}`, `/publish/${name}`]) {
      const p = await get(relay.url, path);
      assert.equal(p.status, 200, path);
      assert.match(p.headers["content-type"], /^text\/html/, path);
    }
    for (const path of ["/nope", "/assets/", "/assets", "/watch/", "/manifest.json", "/assets/../manifest.json", "/assets/%2e%2e/manifest.json", "/watch/../index.html", "/publish/a/../b", "/..%2f..%2fetc/passwd", "/dev/jmoq/relay/pages/index.html"]) {
      const r = await get(relay.url, path);
      assert.equal(r.status, 404, `${path} must be 404, got ${r.status}`);
    }
    assert.equal((await get(relay.url, "/", { method: "POST" })).status, 405);
    assert.equal((await get(relay.url, "/certificate.sha256")).body.toString(), process.env.RELAY_CERT_SHA256);
    const pub = JSON.parse((await get(relay.url, "/api/dashboard")).body);
    const adm = JSON.parse((await get(adminUrl, "/api/dashboard")).body);
    for (const d of [pub, adm]) {
      assert.ok(Array.isArray(d.broadcasts) && d.sessions && Array.isArray(d.links) && Array.isArray(d.errors), JSON.stringify(d).slice(0, 300));
    }
    assert.equal((await get(adminUrl, "/")).status, 200, "the admin listener serves the dashboard too");
    assert.equal((await get(adminUrl, `/watch/${name}`)).status, 404, "but not the players (their MoQ origin is the public port)");
  });
});

// Chromium is launched by the first test that needs it, so the HTTP checks run without it.
let launching;
function chromium() {
  launching ??= launchChromium(FAKE_MEDIA);
  return launching;
}
after(async () => {
  const c = await launching?.catch(() => undefined);
  await c?.close();
});

async function open(path, log, viewport) {
  const page = await (await chromium()).browser.newPage();
  await page.setViewport(viewport ?? { width: 1280, height: 860 });
  page.on("console", (m) => log.push(`${path} ${m.type()} ${m.text()}`));
  page.on("pageerror", (e) => log.push(`${path} pageerror ${e.message}`));
  await page.goto(new URL(path, relay.url).toString(), { waitUntil: "load", timeout: 30_000 });
  return page;
}

/**
 * Waits until the /watch/ page decodes: 15 frames, then 30 more; a screenshot of its canvas is neither black
 * nor flat. Returns the page's { frames, width, height }.
 */
async function watchDecodes(t, watcher) {
  await watcher.waitForFunction(() => window.jmoqWatch?.frames >= 15, { timeout: 45_000, polling: 100 });
  const first = await watcher.evaluate(() => window.jmoqWatch.frames);
  await watcher.waitForFunction((n) => window.jmoqWatch.frames >= n + 30, { timeout: 30_000, polling: 100 }, first);
  const seen = await watcher.evaluate(() => ({ ...window.jmoqWatch }));
  t.diagnostic(`watch: ${seen.frames} frames decoded (was ${first}), ${seen.width}x${seen.height}`);
  const canvas = await watcher.$("canvas");
  const png = await canvas.screenshot({ encoding: "base64" });
  const px = await pixelStats(watcher, png);
  t.diagnostic(`watch screenshot: ${px.width}x${px.height}, ${(px.lit * 100).toFixed(0)} % lit, ${px.colours} colours`);
  assert.ok(px.lit > 0.2 && px.colours > 16, `the picture is blank: ${JSON.stringify(px)}`);
  return seen;
}

/**
 * Waits until the dashboard shows `path` with a viewer and a bitrate chart that moves: new samples arrive
 * (counted, not the window's length: the relay's five-minute history already fills the window when the relay
 * has run that long), and this broadcast's bitrate is charted non-zero and varying. Returns its table row,
 * the broadcast's state, the whole state, and the sample count when first seen.
 */
async function dashboardShows(t, dashboard, path) {
  await dashboard.waitForFunction(
    (p) => window.jmoqDashboard?.state?.broadcasts?.some((b) => b.path === p && b.viewers >= 1),
    { timeout: 20_000, polling: 200 },
    path,
  );
  const received = await dashboard.evaluate(() => window.jmoqDashboard.received);
  await dashboard.waitForFunction(
    (p, n) => {
      const d = window.jmoqDashboard;
      const s = d.bitrateSeries(p).filter((v) => v > 0);
      return d.received >= n + 3 && s.length >= 3 && new Set(s).size >= 2;
    },
    { timeout: 20_000, polling: 200 },
    path,
    received,
  );
  const row = await dashboard.evaluate((p) => {
    const tr = [...document.querySelectorAll("tr[data-broadcast]")].find((r) => r.dataset.broadcast === p);
    return tr && { viewers: Number(tr.querySelector(".viewers").textContent), bitrate: tr.querySelector(".bitrate").textContent };
  }, path);
  const state = await dashboard.evaluate(() => window.jmoqDashboard.state);
  const b = state.broadcasts.find((x) => x.path === path);
  t.diagnostic(`dashboard: viewers=${row?.viewers} bitrate=${row?.bitrate} tracks=${b.tracks.map((x) => x.name).join(",")} sessions=${JSON.stringify(state.sessions.by_kind)}`);
  assert.ok(row && row.viewers >= 1, `the broadcast's row shows its viewer: ${JSON.stringify(row)}`);
  assert.ok(b.bytes > 0 && b.groups > 0, JSON.stringify(b));
  return { row, b, state, received };
}

/** Screenshots the dashboard to .out/<file>; with E2E_UPDATE_DOCS=1 and `docs`, lets the charts fill and copies it to docs/img/dashboard.png. */
async function screenshotDashboard(t, dashboard, file, received, docs = false) {
  const update = docs && process.env.E2E_UPDATE_DOCS === "1";
  if (update) {
    // For the picture in the docs: let the charts fill a little (a positive signal: 15 more samples).
    await dashboard.waitForFunction((n) => window.jmoqDashboard.received >= n + 15, { timeout: 30_000 }, received);
  }
  const shot = join(e2eDir, ".out", file);
  mkdirSync(dirname(shot), { recursive: true });
  await dashboard.screenshot({ path: shot, fullPage: true });
  t.diagnostic(`dashboard screenshot: ${shot}`);
  if (update) {
    const doc = join(e2eDir, "..", "docs", "img", "dashboard.png");
    mkdirSync(dirname(doc), { recursive: true });
    copyFileSync(shot, doc);
    t.diagnostic(`copied to ${doc}`);
  }
}

test("Chromium: /publish/<name> with a fake camera, /watch/<name> decodes it, the dashboard shows it live, jmoq sub --format fmp4 receives it", async (t) => {
  const log = [];
  const pages = [];
  const work = mkdtempSync(join(tmpdir(), "jmoq-e2e-pages-"));
  try {
    await withContext(t, async () => {
      t.diagnostic(`browser: ${await (await chromium()).browser.version()}`);
      const publisher = await open(`/publish/${name}`, log);
      pages.push(publisher);
      await publisher.waitForFunction(() => window.jmoqPublish?.status === "connected", { timeout: 30_000 });

      const watcher = await open(`/watch/${name}`, log);
      pages.push(watcher);
      const { width, height } = await watchDecodes(t, watcher);

      const dashboard = await open("/", log, { width: 1400, height: 1100 });
      pages.push(dashboard);
      const { b, state, received } = await dashboardShows(t, dashboard, name);
      assert.ok(b.tracks.length >= 2, JSON.stringify(b));
      assert.ok(state.sessions.total >= 2, JSON.stringify(state.sessions));
      await screenshotDashboard(t, dashboard, "dashboard-camera.png", received);

      // The same broadcast, received by `jmoq sub --format fmp4` (raw QUIC), and read by ffprobe.
      requireFfmpeg();
      const out = join(work, "camera.mp4");
      const stderr = await receive(name, out, { seconds: 3 });
      t.diagnostic(`jmoq sub: ${stderr.split("\n").filter((l) => l.startsWith("catalog") || l.startsWith("received")).join(" | ")}`);
      const streams = probe(out);
      t.diagnostic(`ffprobe: ${JSON.stringify(streams)}`);
      const video = streams.find((x) => x.codec_type === "video");
      assert.equal(video?.codec_name, "h264", JSON.stringify(streams));
      assert.equal(`${video.width}x${video.height}`, `${width}x${height}`, "the size the player decoded");
      assert.ok(Number(video.nb_read_frames) >= 20, `only ${video.nb_read_frames} video frames in 3 s`);
      const sound = streams.find((x) => x.codec_type === "audio");
      assert.ok(sound && ["opus", "aac"].includes(sound.codec_name), `the microphone's track: ${JSON.stringify(streams)}`);
    });
  } catch (e) {
    e.message += `\n--- page console (tail) ---\n${log.slice(-40).join("\n")}`;
    throw e;
  } finally {
    for (const p of pages) await p.close().catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
});

test("ffmpeg file -> jmoq pub --format fmp4 (raw QUIC) -> /watch/<name> decodes it, the dashboard shows it live", async (t) => {
  const log = [];
  const pages = [];
  const work = mkdtempSync(join(tmpdir(), "jmoq-e2e-pages-"));
  let pub;
  try {
    await withContext(t, async () => {
      requireFfmpeg();
      const file = join(work, "test.mp4");
      encode(file, "aac");
      const broadcast = `e2e/pages-ffmpeg-${process.pid}`;
      pub = publish(file, broadcast);
      t.diagnostic(`published tracks ${await pub.ready} over ${pub.version()}`);

      const watcher = await open(`/watch/${broadcast}`, log);
      pages.push(watcher);
      const seen = await watchDecodes(t, watcher);
      assert.equal(seen.width, WIDTH);
      assert.equal(seen.height, HEIGHT);

      const dashboard = await open("/", log, { width: 1400, height: 1100 });
      pages.push(dashboard);
      const { b, received } = await dashboardShows(t, dashboard, broadcast);
      assert.ok(b.tracks.some((x) => x.name === "catalog.json") && b.tracks.some((x) => x.name === "video0"), JSON.stringify(b.tracks));
      await screenshotDashboard(t, dashboard, "dashboard.png", received, true);
    });
  } catch (e) {
    e.message += `\n--- page console (tail) ---\n${log.slice(-40).join("\n")}`;
    throw e;
  } finally {
    for (const p of pages) await p.close().catch(() => {});
    await pub?.stop();
    rmSync(work, { recursive: true, force: true });
  }
});

/** The first server-sent event of `path` with `headers` (bounded to 15 s), or the status when it is refused. */
function firstEvent(base, path, headers = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers, timeout: 15_000, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        resolve({ status: res.statusCode, type: res.headers["content-type"] });
        return;
      }
      let text = "";
      res.on("data", (c) => {
        text += c;
        const m = /^event: (\w+)\ndata: (.*)\n\n/m.exec(text);
        if (m) {
          req.destroy();
          resolve({ status: 200, type: res.headers["content-type"], event: m[1], data: JSON.parse(m[2]) });
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${path}: no event within 15 s`)));
    req.on("error", (e) => (e.code === "ECONNRESET" ? undefined : reject(e)));
    req.end();
  });
}

/** A port free on 127.0.0.1 for TCP and UDP (lib/free-port.mjs). */
function freePort() {
  return Number(run(process.execPath, [join(e2eDir, "lib", "free-port.mjs")], 10_000).trim());
}

test("auth on: the dashboard's data and live feed need a token for the whole relay; with #token= the page is live, with its cluster link and recent errors", async (t) => {
  const work = mkdtempSync(join(tmpdir(), "jmoq-e2e-auth-"));
  const log = [];
  let relayProcess;
  try {
    await withContext(t, async () => {
      const key = join(work, "root.jwk");
      const pub = join(work, "root.pub.jwk");
      run(relay.jmoq, ["token", "generate-key", "--alg", "EdDSA", "--out", key, "--public-out", pub]);
      const admin = run(relay.jmoq, ["token", "sign", "--key", key, "--put", "", "--get", "", "--expires", "1h"]).trim();
      const viewer = run(relay.jmoq, ["token", "sign", "--key", key, "--get", "", "--expires", "1h"]).trim();
      const port = freePort();
      let adminPort = freePort();
      while (adminPort === port) adminPort = freePort();
      const base = `http://127.0.0.1:${port}/`;
      // It also pulls from the suite's relay (a cluster link for the dashboard to show).
      const config = join(work, "relay.toml");
      writeFileSync(config, `[cluster]\nupstream = ["moqt://127.0.0.1:${relay.port}/"]\ncertificate_sha256 = ["${process.env.RELAY_CERT_SHA256}"]\n`);
      const out = openSync(join(e2eDir, ".out", "relay-auth.log"), "w");
      relayProcess = spawn(relay.jmoq, ["relay", "--config", config, "--host", "127.0.0.1", "--port", String(port), "--admin", `127.0.0.1:${adminPort}`, "--auth-key", pub],
        { stdio: ["ignore", out, out] });
      closeSync(out);
      const sha = run(process.execPath, [join(e2eDir, "lib", "wait-relay.mjs"), base, String(relayProcess.pid), "60"], 70_000).trim();
      // A MoQ session without a token is refused: one of the recent errors.
      const refusedSub = spawnSync(relay.jmoq, ["sub", "--url", `moqt://127.0.0.1:${port}/`, "--cert-sha256", sha, "--broadcast", "x",
        "--format", "groups", "--duration", "PT5S"], { encoding: "utf8", timeout: 60_000 });
      assert.notEqual(refusedSub.status, 0, `a tokenless sub was not refused: ${refusedSub.stderr}`);

      assert.equal((await get(base, "/")).status, 200, "the page itself is public");
      assert.equal((await get(base, "/api/dashboard")).status, 401);
      assert.equal((await get(base, "/api/dashboard", { headers: { authorization: `Bearer ${viewer}` } })).status, 403, "a viewer's token is not enough");
      assert.equal((await get(base, "/api/dashboard", { headers: { authorization: `Bearer ${admin}` } })).status, 200);
      assert.equal((await firstEvent(base, "/api/events")).status, 401, "the live feed needs the token too");
      const feed = await firstEvent(base, "/api/events", { authorization: `Bearer ${admin}` });
      assert.match(feed.type, /^text\/event-stream/);
      assert.ok(["history", "state"].includes(feed.event), JSON.stringify(feed).slice(0, 300));
      assert.equal((await get(`http://127.0.0.1:${adminPort}/`, "/api/dashboard")).status, 200, "the admin listener needs none");

      const browser = (await chromium()).browser;
      const refused = await browser.newPage();
      refused.on("console", (m) => log.push(`/ ${m.type()} ${m.text()}`));
      await refused.goto(base, { waitUntil: "load", timeout: 30_000 });
      await refused.waitForFunction(() => document.getElementById("status").textContent === "token needed", { timeout: 15_000 });
      await refused.close();

      const page = await browser.newPage();
      page.on("console", (m) => log.push(`/#token ${m.type()} ${m.text()}`));
      await page.goto(`${base}#token=${admin}`, { waitUntil: "load", timeout: 30_000 });
      await page.waitForFunction(() => window.jmoqDashboard?.state && document.getElementById("status").textContent === "live", { timeout: 15_000 });
      const n = await page.evaluate(() => window.jmoqDashboard.received);
      await page.waitForFunction((k) => window.jmoqDashboard.received >= k + 2, { timeout: 15_000 }, n);
      assert.equal(await page.evaluate(() => location.hash), "", "the token is taken out of the address bar");
      // The cluster link and its state, and the refused session among the recent errors, as the page shows them.
      await page.waitForFunction(() => window.jmoqDashboard.state.links.some((l) => l.connected), { timeout: 20_000 });
      const shown = await page.evaluate(() => ({ links: document.getElementById("links").innerText, errors: document.getElementById("errors").innerText }));
      t.diagnostic(`links: ${shown.links.replace(/\s+/g, " ")} | errors: ${shown.errors.replace(/\s+/g, " ").slice(0, 200)}`);
      assert.match(shown.links, new RegExp(`moqt://127\\.0\\.0\\.1:${relay.port}/\\s+upstream\\s+up`));
      assert.match(shown.errors, /session_refused/);
      await page.close();
    });
  } catch (e) {
    e.message += `\n--- page console (tail) ---\n${log.slice(-20).join("\n")}`;
    throw e;
  } finally {
    if (relayProcess && relayProcess.exitCode === null) {
      const gone = new Promise((r) => relayProcess.on("exit", r));
      relayProcess.kill("SIGTERM");
      const kill = setTimeout(() => relayProcess.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(kill);
    }
    rmSync(work, { recursive: true, force: true });
  }
});
