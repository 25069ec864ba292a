// Waits until the relay answers GET /certificate.sha256 (bounded); exits non-zero if it does not, or if
// the relay process (pid in argv) is gone.
const [url, pid, seconds = "180"] = process.argv.slice(2);
const end = Date.now() + Number(seconds) * 1000;
for (;;) {
  try {
    const r = await fetch(new URL("/certificate.sha256", url), { signal: AbortSignal.timeout(2000) });
    const text = (await r.text()).trim();
    if (r.ok && /^[0-9a-f]{64}$/.test(text)) {
      process.stdout.write(`${text}\n`);
      process.exit(0);
    }
  } catch {
    // not up yet
  }
  try {
    process.kill(Number(pid), 0);
  } catch {
    process.stderr.write(`relay process ${pid} exited before answering ${url}certificate.sha256\n`);
    process.exit(1);
  }
  if (Date.now() > end) {
    process.stderr.write(`relay did not answer ${url}certificate.sha256 within ${seconds} s\n`);
    process.exit(1);
  }
  await new Promise((r) => setTimeout(r, 200));
}
