// A page that publishes the (fake) camera and microphone with @moq/publish 0.2.17's <moq-publish> element
// (bundled by esbuild) and exposes window.publish: its connection's status and transport. Query:
// ?url=<relay>&name=<broadcast>. Chromium runs with --use-fake-device-for-media-stream.
const q = new URLSearchParams(location.search);
const state = { status: undefined, transport: undefined, errors: [] };
window.publish = state;
window.addEventListener("error", (e) => state.errors.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => state.errors.push(String(e.reason?.message ?? e.reason)));

await import("@moq/publish/element");
const el = document.createElement("moq-publish");
el.connection.websocket = { enabled: false };
document.body.append(el);
el.setAttribute("name", q.get("name"));
el.setAttribute("source", "camera");
el.setAttribute("url", q.get("url"));
el.connection.status.subscribe((s) => (state.status = s));
el.connection.established.subscribe((s) => {
  if (s) state.transport = s.transport;
});
