// Loaded into every test file's process (node --import): once all of a file's tests are done, the file gets
// a few seconds to exit by itself; if something it opened is still alive (a server, a browser, a socket) it is
// made to exit then, so one file's leak fails that file at once instead of stalling the run until the overall
// limit. The timer is unref'd: a file that exits normally is not delayed by it. (node --test-force-exit does
// the same but exits before the reporters finish, which loses the run's closing summary line.)
import { after } from "node:test";

const GRACE_MS = 5_000;

after(() => {
  setTimeout(() => {
    process.stderr.write(`exit-guard: ${process.argv[1] ?? "test file"} still had something running ${GRACE_MS} ms after its tests ended; exiting\n`);
    process.exit(process.exitCode ?? 0);
  }, GRACE_MS).unref();
});
