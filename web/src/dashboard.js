// The relay's dashboard: follows /api/events (server-sent events, one state a second plus the recent
// history at connect) and draws broadcasts, sessions, cluster links, recent errors and two live charts.
import uPlot from "uplot";
import { bits, bytes, duration, el, table } from "./format.js";
import { follow } from "./sse.js";

const HISTORY = 300; // samples kept (one a second: five minutes)
const MAX_SERIES = 8; // busiest broadcasts charted; the relay's own totals are always charted
const PALETTE = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777"];

const samples = []; // { t, ingress_bps, egress_bps, broadcasts: { path: { bps, gps } } }
let received = 0; // samples taken since the page loaded (the window above stops growing at HISTORY)
let last = null;
const charts = { bitrate: null, groups: null, keys: "" };
const tokenKey = "jmoq.dashboard.token";

function token() {
  return sessionStorage.getItem(tokenKey) ?? "";
}

function takeTokenFromFragment() {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m) {
    sessionStorage.setItem(tokenKey, decodeURIComponent(m[1]));
    history.replaceState(null, "", location.pathname + location.search);
  }
}

function addSample(s) {
  if (samples.length > 0 && s.t <= samples[samples.length - 1].t) return;
  samples.push(s);
  received++;
  if (samples.length > HISTORY) samples.splice(0, samples.length - HISTORY);
}

/**
 * The broadcasts to chart: those seen in the window, live ones (in the newest sample) first by their current
 * bitrate, then ended ones by how recently they were seen; at most MAX_SERIES.
 */
function chartedPaths() {
  const seen = new Map(); // path -> index of the newest sample holding it
  samples.forEach((s, i) => Object.keys(s.broadcasts ?? {}).forEach((p) => seen.set(p, i)));
  const now = samples.length ? samples[samples.length - 1].broadcasts ?? {} : {};
  const rank = (p) => (p in now ? [1, now[p].bps] : [0, seen.get(p)]);
  return [...seen.keys()]
    .sort((a, b) => {
      const [la, va] = rank(a);
      const [lb, vb] = rank(b);
      return lb - la || vb - va || a.localeCompare(b);
    })
    .slice(0, MAX_SERIES)
    .sort();
}

function chartOptions(title, paths, extra, unit) {
  const width = Math.max(320, document.getElementById("chart-bitrate").clientWidth || 560);
  return {
    title,
    width,
    height: 220,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(max * 1.1, unit === "bps" ? 1000 : 1)] } },
    axes: [{}, { values: (u, ticks) => ticks.map((v) => (unit === "bps" ? bits(v) : `${v}`)), size: 70 }],
    series: [
      {},
      ...extra.map(([label, color]) => ({ label, stroke: color, width: 2, dash: [6, 4] })),
      ...paths.map((p, i) => ({ label: p, stroke: PALETTE[i % PALETTE.length], width: 2, fill: `${PALETTE[i % PALETTE.length]}14` })),
    ],
    legend: { live: false },
  };
}

function chartData(paths, extraFields, field) {
  const xs = samples.map((s) => s.t);
  const extras = extraFields.map((f) => samples.map((s) => s[f] ?? null));
  const ys = paths.map((p) => samples.map((s) => s.broadcasts?.[p]?.[field] ?? null));
  return [xs, ...extras, ...ys];
}

function drawCharts() {
  const paths = chartedPaths();
  const keys = paths.join("\n");
  const bitrateData = chartData(paths, ["egress_bps", "ingress_bps"], "bps");
  const groupData = chartData(paths, [], "gps");
  if (charts.keys !== keys || !charts.bitrate) {
    charts.bitrate?.destroy();
    charts.groups?.destroy();
    const b = document.getElementById("chart-bitrate");
    const g = document.getElementById("chart-groups");
    b.replaceChildren();
    g.replaceChildren();
    charts.bitrate = new uPlot(chartOptions("", paths, [["egress (all)", "#6b7280"], ["ingress (all)", "#111827"]], "bps"), bitrateData, b);
    charts.groups = new uPlot(chartOptions("", paths, [], "gps"), groupData, g);
    charts.keys = keys;
  } else {
    charts.bitrate.setData(bitrateData);
    charts.groups.setData(groupData);
  }
}

/** Where the players live: this origin, or the relay's public port when this page is on the admin listener. */
function playerBase(state) {
  const port = String(state.relay.port);
  const here = location.port || (location.protocol === "https:" ? "443" : "80");
  return here === port ? "" : `${location.protocol}//${location.hostname}:${port}`;
}

function renderBroadcasts(state) {
  const base = playerBase(state);
  const rows = state.broadcasts.map((b) =>
    el(
      "tr",
      { "data-broadcast": b.path },
      el("td", {}, el("a", { href: `${base}/watch/${b.path.split("/").map(encodeURIComponent).join("/")}` }, b.path || "(root)")),
      el("td", { class: "num viewers" }, b.viewers),
      el("td", { class: "num" }, b.subscriptions),
      el("td", { class: "num bitrate" }, bits(b.bitrate_bps)),
      el("td", { class: "num" }, b.group_rate.toFixed(1)),
      el("td", { class: "num" }, b.groups),
      el("td", { class: "num" }, bytes(b.bytes)),
      el("td", { class: "tracks" }, b.tracks.map((t) => `${t.name} (${t.subscribers})`).join(", ")),
    ),
  );
  document.getElementById("broadcasts").replaceChildren(
    table(
      [["broadcast"], ["viewers", "num"], ["subscriptions", "num"], ["bitrate", "num"], ["groups/s", "num"], ["groups", "num"], ["received", "num"], ["tracks (subscribers)"]],
      rows,
      "No broadcast yet. Publish one from /publish/<name>, or with ./jmoq pub.",
    ),
  );
  if (state.broadcasts_total > state.broadcasts.length) {
    document.getElementById("broadcasts").append(el("p", { class: "empty" }, `${state.broadcasts.length} most watched of ${state.broadcasts_total} shown.`));
  }
}

function renderSessions(s) {
  const rows = s.by_kind.map((k) => el("tr", {}, el("td", {}, k.transport), el("td", {}, k.version), el("td", { class: "num" }, k.count)));
  const box = document.getElementById("sessions");
  box.replaceChildren(el("p", {}, `${s.total} open`), table([["transport"], ["protocol version"], ["sessions", "num"]], rows, "No session."));
}

function renderLinks(links) {
  const rows = links.map((l) =>
    el("tr", {}, el("td", {}, l.uri), el("td", {}, l.kind), el("td", { class: l.connected ? "ok" : "bad" }, l.connected ? "up" : "down"), el("td", { class: "num" }, l.connects)),
  );
  document.getElementById("links").replaceChildren(table([["relay"], ["kind"], ["state"], ["connects", "num"]], rows, "No cluster link configured."));
}

function renderErrors(errors) {
  const box = document.getElementById("errors");
  if (errors.length === 0) {
    box.replaceChildren(el("p", { class: "empty" }, "None."));
    return;
  }
  const items = [...errors].reverse().map((e) => el("li", { class: `level-${e.level}` }, `${new Date(e.time_ms).toLocaleTimeString()} ${e.level} ${e.message}`));
  box.replaceChildren(el("ul", {}, items));
}

function render(state) {
  last = state;
  addSample(state.sample);
  document.getElementById("relay").textContent = `${state.relay.status} · up ${duration(state.relay.uptime_seconds)} · in ${bits(state.totals.ingress_bps)} · out ${bits(state.totals.egress_bps)}`;
  renderBroadcasts(state);
  renderSessions(state.sessions);
  renderLinks(state.links);
  renderErrors(state.errors);
  drawCharts();
}

function setStatus(kind, detail) {
  const s = document.getElementById("status");
  s.className = `status ${kind === "open" ? "ok" : "bad"}`;
  s.textContent = kind === "open" ? "live" : kind === "unauthorized" ? "token needed" : `reconnecting (${detail})`;
  document.getElementById("auth").hidden = kind !== "unauthorized";
}

let feed;
function start() {
  feed?.stop();
  feed = follow("/api/events", {
    token,
    onStatus: setStatus,
    onEvent(name, data) {
      const v = JSON.parse(data);
      if (name === "history") for (const s of v.samples) addSample(s);
      else if (name === "state") render(v);
    },
  });
}

document.getElementById("token-form").addEventListener("submit", (e) => {
  e.preventDefault();
  sessionStorage.setItem(tokenKey, document.getElementById("token").value.trim());
  start();
});
window.addEventListener("resize", () => {
  charts.keys = "";
  if (samples.length) drawCharts();
});

/** Read by the browser tests and handy in the console. */
window.jmoqDashboard = {
  get state() {
    return last;
  },
  /** Samples in the charted window (at most HISTORY). */
  get samples() {
    return samples.length;
  },
  /** Samples taken since the page loaded: keeps counting once the window is full. */
  get received() {
    return received;
  },
  /** The charted bitrate values of one broadcast (bits per second, oldest first). */
  bitrateSeries(path) {
    const i = chartedPaths().indexOf(path);
    return i < 0 || !charts.bitrate ? [] : charts.bitrate.data[3 + i].slice();
  },
};

takeTokenFromFragment();
start();
