/**
 * The transport layer: one small connection and stream interface ({@link dev.jmoq.transport.MoqConnection},
 * {@link dev.jmoq.transport.SendStream}, {@link dev.jmoq.transport.RecvStream}) and its implementations:
 * raw QUIC ({@code quic}), WebTransport over HTTP/3 ({@code webtransport}) and WebSocket with qmux or
 * webtransport framing ({@code websocket}).
 *
 * <p>Owns: sockets, TLS, ALPN and subprotocol negotiation, stream framing below MoQ. Must not touch:
 * MoQ messages (the wire layer) or the model (the core layer). Depends on {@code jmoq-wire} only for
 * QUIC varints.
 *
 * <p>Threading contract for every implementation: a connection and all its streams live on one Netty
 * event loop ({@link dev.jmoq.transport.MoqConnection#eventLoop()}); every callback runs on it, and
 * every method of a stream must be called on it. Buffers handed to a {@code write} belong to the
 * stream from then on; buffers handed to a {@link dev.jmoq.transport.StreamReader} belong to the reader.
 */
package dev.jmoq.transport;
