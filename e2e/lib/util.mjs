// Small helpers shared by Node and the browser page: every wait in the suite is bounded.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves with `promise`'s value, or rejects with `what timed out after N ms` (never hangs). */
export function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Polls `predicate` every `step` ms until it is truthy; rejects after `ms`. */
export async function until(ms, what, predicate, step = 20) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await predicate();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not reached within ${ms} ms`);
    await sleep(step);
  }
}

export function errorText(e) {
  if (e === undefined || e === null) return String(e);
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
