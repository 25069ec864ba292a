/**
 * WebTransport over HTTP/3 on raw QUIC streams: SETTINGS, static-table QPACK with Huffman decoding,
 * extended CONNECT, protocol choice from {@code wt-available-protocols}, session streams (prefixes 0x41
 * and 0x54), CLOSE_WEBTRANSPORT_SESSION. Owns only what WebTransport needs of HTTP/3; must not touch MoQ.
 */
package dev.jmoq.transport.webtransport;
