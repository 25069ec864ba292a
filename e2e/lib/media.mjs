// Real media for the end-to-end tests: ffmpeg encodes a test pattern and tone as fragmented MP4, `jmoq pub
// --format fmp4` publishes it, `jmoq sub --format fmp4` writes a broadcast back as MP4, ffprobe reads it.
// Every tool run is bounded; a missing ffmpeg fails at once with the command that installs it.

import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { relay } from "./env.mjs";

export const INSTALL_FFMPEG = "sudo apt-get update && sudo apt-get install -y --no-install-recommends ffmpeg";
/** The picture size of `encode`'s test pattern. */
export const WIDTH = 320;
export const HEIGHT = 240;
/** The fragmenting moq-dev documents for its own publisher: every frame its own fragment. */
export const MOVFLAGS = "cmaf+separate_moof+delay_moov+skip_trailer+frag_every_frame";

/** Fails at once (never hangs) when ffmpeg or ffprobe is missing, naming the command that installs them. */
export function requireFfmpeg() {
  for (const tool of ["ffmpeg", "ffprobe"]) {
    const r = spawnSync(tool, ["-version"], { encoding: "utf8", timeout: 10_000 });
    if (r.error || r.status !== 0) {
      throw new Error(`${tool} is missing (${r.error?.code ?? `exit ${r.status}`}): install it with \`${INSTALL_FFMPEG}\``);
    }
  }
}

/** Runs a tool to completion within `ms`; returns its stdout, or throws with its stderr. */
export function run(tool, args, ms = 60_000) {
  const r = spawnSync(tool, args, { encoding: "utf8", timeout: ms, maxBuffer: 16 << 20 });
  if (r.error || r.status !== 0) {
    throw new Error(`${tool} ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}):\n${(r.stderr ?? "").slice(-1500)}`);
  }
  return r.stdout;
}

/** Four seconds of test pattern (WIDTH x HEIGHT, 30 fps, a keyframe every second) and a 440 Hz tone (opus or aac), as fragmented MP4. */
export function encode(file, audio) {
  const audioArgs = audio === "opus" ? ["-c:a", "libopus", "-b:a", "64k"] : ["-c:a", "aac", "-b:a", "96k"];
  run("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y",
    "-f", "lavfi", "-i", `testsrc2=size=${WIDTH}x${HEIGHT}:rate=30`,
    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
    "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
    ...audioArgs, "-f", "mp4", "-movflags", MOVFLAGS, file]);
}

/** The Java CLI's connection options for the relay over raw QUIC, offering only `protocol` when given (e.g. "moqt-16", "lite"). */
function connectArgs(protocol) {
  return ["--url", `moqt://127.0.0.1:${relay.port}/`, "--cert-sha256", process.env.RELAY_CERT_SHA256,
    ...(protocol ? ["--protocol", protocol] : [])];
}

/**
 * Starts `jmoq pub --format fmp4` on `file` over raw QUIC: with `--loop`, or (stdin) fed by ffmpeg copying
 * the file again and again at its own speed (`-re -stream_loop -1 -c copy`), as a live ffmpeg would write it.
 * `ready` resolves with the published tracks once `pub` has read them; `version` then says what the session
 * negotiated (its `connected version=...` line).
 */
export function publish(file, broadcast, { stdin = false, protocol } = {}) {
  const args = ["pub", ...connectArgs(protocol), "--broadcast", broadcast, "--format", "fmp4",
    ...(stdin ? ["--input", "-"] : ["--input", file, "--loop"])];
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
  const exited = new Promise((resolve) => p.on("exit", (code, signal) => resolve({ code, signal })));
  return {
    ready,
    stderr: () => err,
    version: () => /connected version=(\S+)/.exec(err)?.[1],
    /** SIGTERM to `pub` (ffmpeg killed once it is gone); resolves with its exit { code, signal }, SIGKILL after 20 s. */
    stop() {
      if (p.exitCode === null && p.signalCode === null) {
        p.kill("SIGTERM");
        const kill = setTimeout(() => p.kill("SIGKILL"), 20_000);
        exited.then(() => clearTimeout(kill));
      }
      return exited.then((exit) => {
        if (ff && ff.exitCode === null && ff.signalCode === null) ff.kill("SIGKILL");
        return exit;
      });
    },
  };
}

/**
 * `jmoq sub --format fmp4` over raw QUIC into `file`, by `--out` (default), its stdout, or `--record` into a
 * fresh directory (then the one file there is moved to `file`); offers only `protocol` when given. It runs
 * for `seconds` (`--duration`), or, with `interruptAt` (bytes, `--record` only), until the recording has
 * grown that large and is then stopped with SIGINT, as Ctrl-C would (it must finish the file and exit with
 * 130). Resolves with its stderr.
 */
export function receive(broadcast, file, { seconds = 4, how = "out", protocol, interruptAt } = {}) {
  const args = ["sub", ...connectArgs(protocol), "--broadcast", broadcast, "--format", "fmp4"];
  if (!interruptAt) args.push("--duration", `PT${seconds}S`);
  const dir = `${file}.d`;
  if (how === "out") args.push("--out", file);
  if (how === "record") {
    rmSync(dir, { recursive: true, force: true });
    args.push("--record", dir);
  }
  const fd = how === "stdout" ? openSync(file, "w") : "ignore";
  const limit = (interruptAt ? 60 : seconds + 60) * 1000;
  return new Promise((resolve, reject) => {
    const p = spawn(relay.jmoq, args, { stdio: ["ignore", fd, "pipe"] });
    if (fd !== "ignore") closeSync(fd);
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    const timer = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error(`jmoq sub did not end within ${limit / 1000} s\nstderr: ${err.slice(-1500)}`));
    }, limit);
    const poll = interruptAt
      ? setInterval(() => {
          const size = recorded(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
          if (size >= interruptAt && p.exitCode === null) {
            clearInterval(poll);
            p.kill("SIGINT");
          }
        }, 200)
      : undefined;
    p.on("exit", (code) => {
      clearTimeout(timer);
      clearInterval(poll);
      const expected = interruptAt ? 130 : 0;
      if (code !== expected) return reject(new Error(`jmoq sub exited ${code}, not ${expected}\nstderr: ${err.slice(-1500)}`));
      if (how === "record") {
        const kept = recorded(dir);
        if (kept.length !== 1 || !kept[0].endsWith(".mp4")) return reject(new Error(`--record kept ${JSON.stringify(kept)}\n${err}`));
        renameSync(join(dir, kept[0]), file);
      }
      resolve(err);
    });
  });
}

function recorded(dir) {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** ffprobe's view of a file's streams (frames counted by decoding). */
export function probe(file) {
  return JSON.parse(run("ffprobe", ["-v", "error", "-count_frames", "-show_entries",
    "stream=codec_type,codec_name,width,height,sample_rate,channels,nb_read_frames", "-of", "json", file])).streams;
}

/**
 * Whether a screenshot (PNG, base64) shows a picture: the share of pixels that are not near-black and the
 * number of distinct coarse colours (4 bits a channel), decoded in `page` (a puppeteer page).
 */
export async function pixelStats(page, png) {
  return page.evaluate(async (b64) => {
    const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
    const bmp = await createImageBitmap(blob);
    const c = new OffscreenCanvas(bmp.width, bmp.height);
    const ctx = c.getContext("2d");
    ctx.drawImage(bmp, 0, 0);
    const d = ctx.getImageData(0, 0, bmp.width, bmp.height).data;
    let lit = 0;
    const colours = new Set();
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] + d[i + 1] + d[i + 2] > 60) lit++;
      colours.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4));
    }
    return { width: bmp.width, height: bmp.height, lit: lit / (d.length / 4), colours: colours.size };
  }, png);
}
