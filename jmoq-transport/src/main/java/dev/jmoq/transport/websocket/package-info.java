/**
 * WebSocket transport: MoQ over one WebSocket, with the qmux framing (QUIC stream, flow-control and close
 * frames in WebSocket messages; drafts 00, 01 and 02) or the older {@code webtransport} framing, as the
 * {@code @moq/qmux} polyfill speaks them, plus the plain-HTTP endpoint {@code /certificate.sha256} on the
 * same TCP port.
 *
 * <p>Owns: the TCP listener and dialer, TLS detection, the WebSocket handshake and subprotocol choice, the
 * qmux frame codec, stream multiplexing and flow control, DATAGRAM frames (qmux-01/02). Must not touch: MoQ messages (wire layer), the
 * model (core layer), or the QUIC and WebTransport transports.
 *
 * <p>Threading: a connection and its streams live on the channel's event loop; see
 * {@link dev.jmoq.transport}.
 */
package dev.jmoq.transport.websocket;
