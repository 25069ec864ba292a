// A publisher in its own process, so a test can kill it mid-group (a real disconnect, no goodbye).
//   node publisher-child.mjs <@moq/lite|@moq/net> <relay url> <path> <track> <frames per group> <max frame size>
// Prints "ready <describe>" once publishing, "group <seq>" per whole group. On the line "midgroup" on
// stdin it opens one more group, writes two of its frames, prints "mid <seq>", and publishes nothing more.
// Exits by itself after 120 s.
import "../../lib/quiet.mjs";
import { createInterface } from "node:readline";
import { frameBytes } from "../../lib/frames.mjs";
import { clients } from "../../lib/moq.mjs";

const [lib, url, path, track, framesArg, maxArg] = process.argv.slice(2);
const frames = Number(framesArg);
const max = Number(maxArg);
const tag = `${path}/${track}`;
setTimeout(() => process.exit(3), 120_000).unref();

const conn = await clients[lib].connect(url);
const pub = conn.publish(path, track);
process.stdout.write(`ready ${conn.describe()}\n`);
let stopped = false;
const timer = setInterval(() => {
  if (stopped) return;
  const g = pub.openGroup();
  for (let i = 0; i < frames; i++) g.write(frameBytes(tag, g.sequence, i, max));
  g.close();
  process.stdout.write(`group ${g.sequence}\n`);
}, 40);
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() !== "midgroup" || stopped) return;
  stopped = true;
  clearInterval(timer);
  const g = pub.openGroup();
  g.write(frameBytes(tag, g.sequence, 0, max));
  g.write(frameBytes(tag, g.sequence, 1, max));
  process.stdout.write(`mid ${g.sequence}\n`);
});
