// Bundles the relay's pages (dashboard, watch, publish) with esbuild into jmoq-relay's resources:
// HTML at the top (no-cache), everything else under assets/ with a content hash in its name (immutable),
// and manifest.json listing every file and the SHA-256 of the inputs (this file, package.json,
// package-lock.json, src/**) so the Maven build can tell when the committed bundle is stale.
//   node build.mjs            write the bundle
//   node build.mjs --check    build into a temporary directory and fail unless it equals the committed one
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const web = dirname(fileURLToPath(import.meta.url));
const target = join(web, "..", "jmoq-relay", "src", "main", "resources", "dev", "jmoq", "relay", "pages");
const PAGES = ["dashboard", "watch", "publish"];
const HTML_OUT = { dashboard: "index.html", watch: "watch.html", publish: "publish.html" };

function files(dir) {
  return readdirSync(dir)
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]))
    .sort();
}

/** SHA-256 over "<path>\0<sha256 of content>\n" for each input in path order (paths relative to web/, with '/'). */
export function inputsSha256() {
  const inputs = ["build.mjs", "package.json", "package-lock.json", ...files(join(web, "src")).map((f) => relative(web, f))]
    .map((p) => p.split("\\").join("/"))
    .sort();
  const h = createHash("sha256");
  for (const p of inputs) h.update(`${p}\0${createHash("sha256").update(readFileSync(join(web, p))).digest("hex")}\n`);
  return h.digest("hex");
}

async function build(out) {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, "assets"), { recursive: true });
  const entryPoints = PAGES.flatMap((p) => [
    { in: join(web, "src", `${p}.js`), out: p },
    { in: join(web, "src", `${p}.css`), out: p },
  ]);
  const r = await esbuild.build({
    entryPoints,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "browser",
    target: ["chrome120", "firefox120", "safari17"],
    minify: true,
    sourcemap: false,
    legalComments: "eof",
    outdir: join(out, "assets"),
    entryNames: "[name]-[hash]",
    chunkNames: "chunk-[hash]",
    assetNames: "[name]-[hash]",
    metafile: true,
    logLevel: "warning",
    absWorkingDir: web,
  });
  const names = {};
  for (const [file, meta] of Object.entries(r.metafile.outputs)) {
    if (!meta.entryPoint) continue;
    const page = PAGES.find((p) => meta.entryPoint === `src/${p}.js` || meta.entryPoint === `src/${p}.css`);
    const ext = file.endsWith(".css") ? "css" : "js";
    names[`${page}.${ext}`] = `/assets/${file.split("/").pop()}`;
  }
  for (const p of PAGES) {
    const html = readFileSync(join(web, "src", `${p}.html`), "utf8").replace(/\{\{([a-z]+\.(?:js|css))\}\}/g, (_, k) => {
      if (!names[k]) throw new Error(`${p}.html: no output for ${k}`);
      return names[k];
    });
    writeFileSync(join(out, HTML_OUT[p]), html);
  }
  const listed = files(out).map((f) => relative(out, f).split("\\").join("/"));
  const manifest = { inputs_sha256: inputsSha256(), files: listed.sort() };
  writeFileSync(join(out, "manifest.json"), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

function sameTree(a, b) {
  const fa = files(a).map((f) => relative(a, f));
  const fb = files(b).map((f) => relative(b, f));
  if (fa.join("\n") !== fb.join("\n")) return `file lists differ:\n  built:     ${fa.join(" ")}\n  committed: ${fb.join(" ")}`;
  for (const f of fa) if (!readFileSync(join(a, f)).equals(readFileSync(join(b, f)))) return `${f} differs`;
  return null;
}

if (process.argv.includes("--check")) {
  const tmp = mkdtempSync(join(tmpdir(), "jmoq-pages-"));
  try {
    await build(tmp);
    const diff = sameTree(tmp, target);
    if (diff) {
      console.error(`web/build --check: the committed pages differ from a fresh build (${diff}); run web/build and commit`);
      process.exit(1);
    }
    console.log("web/build --check: the committed pages equal a fresh build");
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
} else {
  const m = await build(target);
  console.log(`web/build: ${m.files.length} files in ${relative(join(web, ".."), target)} (inputs ${m.inputs_sha256.slice(0, 12)})`);
}
