/**
 * Raw QUIC on Netty's native QUIC codec (quiche): the MoQ ALPNs, one {@link dev.jmoq.transport.MoqConnection}
 * per QUIC connection, one {@link dev.jmoq.transport.BidiStream} / {@link dev.jmoq.transport.SendStream} /
 * {@link dev.jmoq.transport.RecvStream} per QUIC stream. Connections negotiating {@code h3} are handed to
 * the WebTransport layer. Owns: UDP sockets, QUIC TLS, transport parameters. Must not touch MoQ messages.
 */
package dev.jmoq.transport.quic;
