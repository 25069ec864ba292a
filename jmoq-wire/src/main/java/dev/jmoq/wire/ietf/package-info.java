/**
 * The moq-transport (draft-ietf-moq-transport) wire codec, drafts 14 to 20 (21 and 22 are
 * wire-identical to 20): control messages with their framing, parameters and setup options, the
 * subgroup and fetch data streams, object datagrams, and the error codes of each draft. Checked byte
 * for byte against {@code @moq/net} 0.3.4 (see docs/wire-ietf.md).
 *
 * <p>Owns bytes to records and back, and nothing else: no I/O, no threads, no sessions, no model.
 * Every difference between drafts is a feature method of {@link dev.jmoq.wire.ietf.IetfVersion};
 * message codecs consult those rather than comparing versions. Entry points:
 * {@link dev.jmoq.wire.ietf.ControlCodec} (control and request streams),
 * {@link dev.jmoq.wire.ietf.SubgroupStreamDecoder} / {@link dev.jmoq.wire.ietf.SubgroupStreamEncoder},
 * {@link dev.jmoq.wire.ietf.FetchStreamDecoder} / {@link dev.jmoq.wire.ietf.FetchStreamEncoder},
 * {@link dev.jmoq.wire.ietf.ObjectDatagram} and {@link dev.jmoq.wire.ietf.DataStreamType}. Malformed
 * input raises {@link dev.jmoq.wire.ProtocolException} with the draft's code. Must not depend on
 * transport, core or the moq-lite codec.
 */
package dev.jmoq.wire.ietf;
