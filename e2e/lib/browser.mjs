// Headless Chromium for the tests: bundles page/entry.mjs with esbuild, serves it from a tiny static
// server on 127.0.0.1, and opens it in /usr/bin/chromium (puppeteer-core; no browser download).
// Every launch and wait is bounded, and a failed launch leaves nothing running (so a test file ends at once).

import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import puppeteer from "puppeteer-core";

const root = fileURLToPath(new URL("..", import.meta.url));
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

async function bundle() {
  const r = await esbuild.build({
    entryPoints: [join(root, "page/entry.mjs")],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "chrome120",
    write: false,
    logLevel: "silent",
  });
  return r.outputFiles[0].contents;
}

function serve(js) {
  const html = '<!doctype html><meta charset="utf-8"><title>jmoq e2e</title><script type="module" src="/bundle.js"></script>';
  const server = createServer((req, res) => {
    if (req.url === "/" || req.url === "/index.html") {
      res.writeHead(200, { "content-type": "text/html" }).end(html);
    } else if (req.url === "/bundle.js") {
      res.writeHead(200, { "content-type": "text/javascript" }).end(js);
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Fails at once, with the command that fixes it, when the Chromium binary is missing. */
export function requireChromium() {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(`Chromium not found at ${CHROMIUM}: install it with 'sudo apt-get install -y chromium' (Debian), or set CHROMIUM=/path/to/chromium`);
  }
}

/**
 * Launches headless Chromium with a fresh profile (launch bounded to 30 s, each DevTools call to 60 s).
 * Returns { browser, close() }; close() also removes the profile.
 */
export async function launchChromium(extraArgs = []) {
  requireChromium();
  const profile = mkdtempSync(join(tmpdir(), "jmoq-e2e-chromium-"));
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profile,
      timeout: 30_000,
      protocolTimeout: 60_000,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // Pages of one test share the browser and only the newest is in front: a publisher or player left in a
        // background tab must keep its timers, capture and decoding running.
        "--disable-background-timer-throttling",
        "--disable-backgrounding-occluded-windows",
        "--disable-renderer-backgrounding",
        `--user-data-dir=${profile}`,
        ...extraArgs,
      ],
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  return {
    browser,
    async close() {
      // Bounded to 10 s; the timer is cleared so it never holds the test file's exit.
      let timer;
      await Promise.race([browser.close().catch(() => {}), new Promise((r) => (timer = setTimeout(r, 10_000)))]);
      clearTimeout(timer);
      browser.process()?.kill("SIGKILL");
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Starts Chromium on the page; returns { page, pageLog, close() }. */
export async function openPage() {
  requireChromium();
  const js = await bundle();
  const server = await serve(js);
  let chromium;
  try {
    chromium = await launchChromium();
  } catch (e) {
    server.close();
    throw e;
  }
  const { browser } = chromium;
  const page = await browser.newPage();
  const pageLog = [];
  page.on("console", (m) => {
    pageLog.push(`${m.type()} ${m.text()}`);
    if (pageLog.length > 300) pageLog.shift();
  });
  page.on("pageerror", (e) => pageLog.push(`pageerror ${e.message}`));
  const { port } = server.address();
  try {
    await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load", timeout: 30_000 });
    await page.waitForFunction(() => window.e2e !== undefined, { timeout: 30_000 });
  } catch (e) {
    await chromium.close();
    server.close();
    throw e;
  }
  return {
    page,
    pageLog,
    version: await browser.version(),
    async close() {
      await chromium.close();
      server.close();
    },
  };
}
