/**
 * The session layer: translates a protocol family's streams and messages into model operations, both
 * ways. A session publishes the peer's broadcasts into an {@link dev.jmoq.core.model.Origin} and serves
 * the origin's broadcasts to the peer.
 *
 * <p>Protocol-neutral, and must not import {@code dev.jmoq.wire.lite} or any other family's codec:
 * {@link dev.jmoq.core.session.Session} (what relays and clients hold), {@link dev.jmoq.core.session.SessionFactory}
 * and {@link dev.jmoq.core.session.ProtocolFamily} (a family per protocol, chosen by the negotiated
 * protocol), {@link dev.jmoq.core.session.SessionError} (the reasons the relay ends things, which each
 * family maps to its codes), {@link dev.jmoq.core.session.SessionContext}, {@link dev.jmoq.core.session.SessionConfig},
 * {@link dev.jmoq.core.session.Grant} and {@link dev.jmoq.core.session.SessionAuthorizer}, the counters, and
 * the group-stream machinery: {@link dev.jmoq.core.session.GroupEgress} (sending a track's groups),
 * (reading the track through a {@link dev.jmoq.core.model.TrackCursor}, from a SUBSCRIBE's start group to
 * its end group, priority by group sequence, stream requests within the peer's credit through
 * {@link dev.jmoq.core.session.StreamRequests}), {@link dev.jmoq.core.session.FetchServe} (answering a
 * FETCH of one cached group), {@link dev.jmoq.core.session.GroupIngest} (receiving groups, with the
 * frames' timestamps into the model) and {@link dev.jmoq.core.session.MessageStream} (reassembling control
 * messages), into which a family plugs its wire format through {@link dev.jmoq.core.session.GroupFraming}
 * and {@link dev.jmoq.core.session.GroupDecoder}.
 *
 * <p>Family-specific: each family's subpackage ({@code lite}: moq-lite drafts 01-05).
 *
 * <p>Threading: a session and everything it owns run on its connection's event loop; model callbacks
 * that arrive from other threads hop onto it.
 */
package dev.jmoq.core.session;
