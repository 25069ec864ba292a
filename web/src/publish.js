// /publish/<name>: publishes the camera and microphone with @moq/publish's <moq-publish> element (and its
// UI overlay). The camera starts at once (?source=screen or ?source=none to choose otherwise).
import "@moq/publish/element";
import "@moq/publish/ui";
import { nameFromPath, relayUrl } from "./page-name.js";

const name = nameFromPath(location.pathname, "/publish/");
const source = new URLSearchParams(location.search).get("source") ?? "camera";
document.title = `${name} · publish · jmoq`;
document.getElementById("name").textContent = name;
document.getElementById("name2").textContent = name;
const watchHref = `/watch/${name.split("/").map(encodeURIComponent).join("/")}`;
document.getElementById("watch-link").href = watchHref;
document.getElementById("watch-link").textContent = watchHref;

const ui = document.createElement("moq-publish-ui");
const publish = document.createElement("moq-publish");
publish.setAttribute("url", relayUrl());
publish.setAttribute("name", name);
if (source !== "none") publish.setAttribute("source", source);
const video = document.createElement("video");
video.muted = true;
video.autoplay = true;
video.playsInline = true;
publish.append(video);
ui.append(publish);
document.getElementById("publisher").append(ui);

const state = { status: "starting" };
window.jmoqPublish = state;
const status = document.getElementById("status");
publish.connection.status.subscribe((s) => {
  state.status = String(s);
  status.textContent = state.status;
});
