// What run-e2e tells the Node test files about the relay it started, and failure context for them.

import "./quiet.mjs";
import { readFileSync, statSync } from "node:fs";
import { clientLogTail } from "./quiet.mjs";
import { clientDefects } from "./offer.mjs";

function required(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the suite with ./run-e2e`);
  return v;
}

export const relay = {
  /** http://127.0.0.1:<port>/ : the npm clients fetch /certificate.sha256 here and dial WebSocket or WebTransport. */
  url: required("RELAY_URL"),
  port: Number(required("RELAY_PORT")),
  /** The MoQ protocols the relay said it offers (its relay_started log line). */
  protocols: (process.env.RELAY_PROTOCOLS ?? "").split(",").filter(Boolean),
  log: process.env.RELAY_LOG,
  /** The jmoq launcher (for the Java client). */
  jmoq: process.env.JMOQ,
};

function logSize() {
  try {
    return statSync(relay.log).size;
  } catch {
    return 0;
  }
}

function relayLogFrom(offset, maxLines = 60) {
  try {
    const text = readFileSync(relay.log).subarray(offset).toString("utf8");
    const lines = text.split("\n").filter(Boolean);
    return lines.slice(-maxLines).join("\n");
  } catch (e) {
    return `(relay log unreadable: ${e.message})`;
  }
}

/**
 * Runs a test body; on failure rethrows with the relay's log lines written meanwhile and the clients'
 * recent log lines appended, so a report names what the client sent and what the relay did.
 */
export async function withContext(t, body) {
  const offset = logSize();
  const defectsBefore = clientDefects.length;
  try {
    return await body();
  } catch (e) {
    const msg = [
      e?.stack ?? String(e),
      "--- relay log during this test ---",
      relayLogFrom(offset) || "(nothing)",
      "--- client library log (tail) ---",
      clientLogTail(30) || "(nothing)",
    ].join("\n");
    const err = new Error(msg);
    err.cause = e;
    throw err;
  } finally {
    const defects = clientDefects.length - defectsBefore;
    if (defects > 0) t.diagnostic(`client defect tolerated ${defects}x: ${clientDefects[clientDefects.length - 1]}`);
  }
}
