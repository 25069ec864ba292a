/**
 * Sessions: translate a protocol family's streams and messages into model operations, both ways. A
 * session publishes the peer's broadcasts into an {@link dev.jmoq.core.model.Origin} and serves the
 * origin's broadcasts to the peer. The egress ({@link dev.jmoq.core.session.GroupEgress}) and ingest
 * ({@link dev.jmoq.core.session.GroupIngest}) of group streams are protocol-agnostic; the framing of
 * each family plugs in through {@link dev.jmoq.core.session.GroupFraming}. A FETCH of a cached group is
 * answered by {@link dev.jmoq.core.session.FetchServe}.
 *
 * <p>Threading: a session and everything it owns run on its connection's event loop; model callbacks
 * that arrive from other threads hop onto it.
 */
package dev.jmoq.core.session;
