// The npm clients log every handshake step with console.debug/log/warn. Keep that out of the test
// report but not lost: it goes to a bounded buffer a failing test prints.

const MAX = 400;
export const clientLog = [];

function capture(level) {
  return (...args) => {
    const line = `${level} ${args.map((a) => (typeof a === "string" ? a : safe(a))).join(" ")}`;
    clientLog.push(line.length > 400 ? `${line.slice(0, 400)}...` : line);
    if (clientLog.length > MAX) clientLog.splice(0, clientLog.length - MAX);
  };
}

function safe(a) {
  try {
    if (a instanceof Error) return `${a.name}: ${a.message}`;
    return JSON.stringify(a, (_, v) => (typeof v === "bigint" ? `${v}` : v))?.slice(0, 200) ?? String(a);
  } catch {
    return String(a);
  }
}

if (!globalThis.__jmoqQuiet && !process.env.E2E_VERBOSE) {
  globalThis.__jmoqQuiet = true;
  console.debug = capture("debug");
  console.log = capture("log");
  console.info = capture("info");
  console.warn = capture("warn");
  console.error = capture("error");
}

export function clientLogTail(n = 40) {
  return clientLog.slice(-n).join("\n");
}
