// Server-sent events over fetch (not EventSource), so the admin token travels in an Authorization header
// rather than in the URL. Reconnects with capped backoff; calls onEvent(name, data) per event.

/** Parses an event stream's text into events; returns the unparsed tail. */
export function parseEvents(buffer, onEvent) {
  let start = 0;
  for (;;) {
    const end = buffer.indexOf("\n\n", start);
    if (end < 0) return buffer.slice(start);
    let name = "message";
    const data = [];
    for (const line of buffer.slice(start, end).split("\n")) {
      if (line.startsWith("event:")) name = line.slice(6).trim();
      else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
    }
    if (data.length > 0) onEvent(name, data.join("\n"));
    start = end + 2;
  }
}

/**
 * Follows `url` until stop() is called. onStatus(kind, detail): "open", "unauthorized" (stops), "error"
 * (retries after a delay).
 */
export function follow(url, { token, onEvent, onStatus }) {
  let stopped = false;
  let controller;
  let delay = 500;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { accept: "text/event-stream" };
        if (token()) headers.authorization = `Bearer ${token()}`;
        const res = await fetch(url, { headers, signal: controller.signal, cache: "no-store" });
        if (res.status === 401 || res.status === 403) {
          onStatus("unauthorized", await res.text());
          return;
        }
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        onStatus("open", "");
        delay = 500;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = parseEvents(buffer + value.replace(/\r\n/g, "\n"), onEvent);
        }
        throw new Error("stream ended");
      } catch (e) {
        if (stopped) return;
        onStatus("error", e?.message ?? String(e));
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }
  run();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}
