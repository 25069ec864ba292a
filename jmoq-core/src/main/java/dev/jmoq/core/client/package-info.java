/**
 * The Java client library: {@link dev.jmoq.core.client.MoqClient#connect} over raw QUIC, WebTransport
 * or WebSocket, then {@code publish}, {@code announced} and {@code subscribe} on the session. Used by
 * the CLI, the load generator and the tests.
 */
package dev.jmoq.core.client;
