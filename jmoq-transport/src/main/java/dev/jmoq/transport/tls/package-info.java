/** Certificates for the QUIC, WebTransport and TLS WebSocket listeners: self-signed generation, PEM loading, hashes. */
package dev.jmoq.transport.tls;
