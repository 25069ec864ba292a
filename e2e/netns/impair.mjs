// A UDP forwarder that impairs what it carries, for kernels without tc netem (e2e/netns/run uses netem when the
// kernel has it). Listens on LISTEN_HOST:LISTEN_PORT, forwards each client's datagrams to TARGET_HOST:TARGET_PORT
// from a socket of its own and the answers back, dropping, delaying and reordering them as the JSON file SPEC
// says (re-read every 100 ms): {"loss": 0.05, "delay": 100, "reorder": 0.25}, netem's meaning: a packet is lost
// with probability loss, else sent after delay ms, except that with probability reorder it is sent at once
// (ahead of the delayed ones). Usage: node impair.mjs LISTEN_HOST LISTEN_PORT TARGET_HOST TARGET_PORT SPEC
import dgram from 'node:dgram';
import fs from 'node:fs';

const [listenHost, listenPort, targetHost, targetPort, specFile] = process.argv.slice(2);
let spec = { loss: 0, delay: 0, reorder: 0 };
const readSpec = () => {
  try {
    spec = { loss: 0, delay: 0, reorder: 0, ...JSON.parse(fs.readFileSync(specFile, 'utf8')) };
  } catch {
    // keep the last good spec while the file is being rewritten
  }
};
readSpec();
setInterval(readSpec, 100);

const stats = { forwarded: 0, dropped: 0, reordered: 0 };
const impair = (send) => {
  if (Math.random() < spec.loss) {
    stats.dropped++;
    return;
  }
  stats.forwarded++;
  if (spec.delay > 0 && Math.random() >= spec.reorder) {
    setTimeout(send, spec.delay);
  } else {
    if (spec.delay > 0) stats.reordered++;
    setImmediate(send);
  }
};

const front = dgram.createSocket('udp4');
const clients = new Map();
front.on('message', (msg, rinfo) => {
  const key = `${rinfo.address}:${rinfo.port}`;
  let up = clients.get(key);
  if (!up) {
    up = dgram.createSocket('udp4');
    up.on('message', (answer) => impair(() => front.send(answer, rinfo.port, rinfo.address)));
    clients.set(key, up);
  }
  impair(() => up.send(msg, Number(targetPort), targetHost));
});
front.bind(Number(listenPort), listenHost, () => console.log(`impair listening ${listenHost}:${listenPort} -> ${targetHost}:${targetPort}`));
process.on('SIGTERM', () => {
  console.log(JSON.stringify(stats));
  process.exit(0);
});
