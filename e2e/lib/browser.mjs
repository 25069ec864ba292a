// Headless Chromium for the tests: bundles page/entry.mjs with esbuild, serves it from a tiny static
// server on 127.0.0.1, and opens it in /usr/bin/chromium (puppeteer-core; no browser download).

import { mkdtempSync, rmSync } from "node:fs";
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

/** Starts Chromium on the page; returns { page, pageLog, close() }. */
export async function openPage() {
  const js = await bundle();
  const server = await serve(js);
  const profile = mkdtempSync(join(tmpdir(), "jmoq-e2e-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    protocolTimeout: 120_000,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  });
  const page = await browser.newPage();
  const pageLog = [];
  page.on("console", (m) => {
    pageLog.push(`${m.type()} ${m.text()}`);
    if (pageLog.length > 300) pageLog.shift();
  });
  page.on("pageerror", (e) => pageLog.push(`pageerror ${e.message}`));
  const { port } = server.address();
  await page.goto(`http://127.0.0.1:${port}/`, { waitUntil: "load", timeout: 30_000 });
  await page.waitForFunction(() => window.e2e !== undefined, { timeout: 30_000 });
  return {
    page,
    pageLog,
    version: await browser.version(),
    async close() {
      await browser.close().catch(() => {});
      server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
