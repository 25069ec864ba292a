/**
 * The moq-lite wire codec, drafts 01 to 05: stream types, control messages, the group stream and
 * datagrams, byte-exact with {@code @moq/lite} 0.2.2 and {@code @moq/net} 0.3.4.
 *
 * <p>Owns bytes to records and back, and nothing else: no I/O, no threads, no sessions, no model.
 * Every difference between drafts lives in {@link dev.jmoq.wire.lite.LiteVersion}'s feature methods;
 * message codecs consult them instead of comparing versions. Must not depend on transport, core or
 * any other protocol family.
 */
package dev.jmoq.wire.lite;
