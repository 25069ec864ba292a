// Run from a directory with @moq/token 0.2.3 installed: node capture-tokens.mjs > ../resources/auth/moq-token-0.2.3.json
// With a file argument ([{alg, key, token, path}], keys as JWK JSON), verifies tokens jmoq signed instead.
// Captures @moq/token 0.2.3 keys and tokens for jmoq's interop test; also verifies tokens jmoq signed (argv[2]).
import { generate, sign, toPublicKey, load, verify } from "@moq/token";
import fs from "node:fs";
if (process.argv[2]) {
  const vecs = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  for (const v of vecs) {
    const loaded = load(v.key);
    const key = v.alg === "HS256" ? loaded : toPublicKey(loaded);
    const claims = await verify(key, v.token, v.path);
    console.log(v.alg, "verified by @moq/token:", JSON.stringify(claims));
  }
  process.exit(0);
}
const out = [];
for (const alg of ["HS256", "ES256", "EdDSA"]) {
  const key = await generate(alg, "k-" + alg.toLowerCase());
  const claims = { root: "room", put: ["alice"], get: "" };
  const token = await sign(key, claims);
  const verifyKey = alg === "HS256" ? key : toPublicKey(key);
  out.push({ alg, verifyKey: JSON.stringify(verifyKey), token });
}
console.log(JSON.stringify({ source: "@moq/token 0.2.3", vectors: out }, null, 2));
