// Prints a port number free on 127.0.0.1 for both TCP and UDP (the relay uses one number for both).
import { createSocket } from "node:dgram";
import { createServer } from "node:net";

function tcp() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function udpFree(port) {
  return new Promise((resolve) => {
    const u = createSocket("udp4");
    u.once("error", () => resolve(false));
    u.bind(port, "127.0.0.1", () => u.close(() => resolve(true)));
  });
}

for (let i = 0; i < 50; i++) {
  const port = await tcp();
  if (await udpFree(port)) {
    process.stdout.write(`${port}\n`);
    process.exit(0);
  }
}
process.stderr.write("no port free for both TCP and UDP\n");
process.exit(1);
