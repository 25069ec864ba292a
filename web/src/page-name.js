// The broadcast name a page serves, from its own path: /watch/room/alice -> "room/alice".

/** Decodes the path after `prefix` ("/watch/"); each segment percent-decoded; empty segments dropped. */
export function nameFromPath(pathname, prefix) {
  if (!pathname.startsWith(prefix)) return "";
  return pathname
    .slice(prefix.length)
    .split("/")
    .filter((s) => s.length > 0)
    .map((s) => decodeURIComponent(s))
    .join("/");
}

/** The relay's URL for the MoQ clients: this page's origin (they fetch /certificate.sha256 there and dial it). */
export function relayUrl() {
  const u = new URL("/", location.href);
  const jwt = new URLSearchParams(location.search).get("jwt");
  if (jwt) u.searchParams.set("jwt", jwt);
  return u.toString();
}
