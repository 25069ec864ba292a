// /watch/<broadcast>: plays a broadcast with @moq/watch's <moq-watch> element (and its UI overlay), and
// shows how many video frames it decoded (window.jmoqWatch.frames, read by the browser tests).
import "@moq/watch/element";
import "@moq/watch/ui";
import { nameFromPath, relayUrl } from "./page-name.js";

const name = nameFromPath(location.pathname, "/watch/");
document.title = `${name} · watch · jmoq`;
document.getElementById("name").textContent = name;
document.getElementById("publish-link").href = `/publish/${name.split("/").map(encodeURIComponent).join("/")}`;
document.getElementById("publish-link").textContent = `/publish/${name}`;

const ui = document.createElement("moq-watch-ui");
const watch = document.createElement("moq-watch");
watch.setAttribute("url", relayUrl());
watch.setAttribute("name", name);
watch.setAttribute("visible", "always");
watch.setAttribute("muted", "");
watch.append(document.createElement("canvas"));
ui.append(watch);
document.getElementById("player").append(ui);

const state = { frames: 0, width: 0, height: 0 };
window.jmoqWatch = state;
const status = document.getElementById("status");
watch.video.out.stats.subscribe((s) => {
  state.frames = s?.frameCount ?? state.frames;
  document.getElementById("frames").textContent = String(state.frames);
});
watch.video.out.display.subscribe((d) => {
  if (!d) return;
  state.width = d.width;
  state.height = d.height;
  document.getElementById("resolution").textContent = `${d.width}×${d.height}`;
});
watch.connection.status.subscribe((s) => {
  status.textContent = String(s);
});
