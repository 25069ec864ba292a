package dev.jmoq.core.session.lite;

import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.AnnouncePlease;
import dev.jmoq.wire.lite.Fetch;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.Subscribe;
import dev.jmoq.wire.lite.Track;

/**
 * Dispatches the bidi streams the peer opens by their control type (draft-lcurley-moq-lite, "Streams"):
 * CLIENT_SETUP to {@link LiteSetup}; ANNOUNCE_PLEASE, SUBSCRIBE, and on draft 05 TRACK and FETCH to
 * {@link LitePublisher}; GOAWAY to
 * {@link LiteGoaway}; PROBE is held open unanswered. An unknown or unsupported type is rejected on its
 * stream only. Which types exist is the negotiated version's ({@link LiteControlType#tryRead}).
 *
 * <p>Threading: the session's event loop.
 */
final class LiteControl {
    private final LiteSession session;
    private final LiteSetup setup;
    private final LitePublisher publisher;
    private final LiteGoaway goaway;

    LiteControl(LiteSession session, LiteSetup setup, LitePublisher publisher, LiteGoaway goaway) {
        this.session = session;
        this.setup = setup;
        this.publisher = publisher;
        this.goaway = goaway;
    }

    /** Reads the stream's type, then hands the stream to the role that serves it. */
    void accept(BidiStream stream) {
        int maxMessageSize = session.config().maxMessageSize();
        boolean[] typed = new boolean[1];
        MessageStream[] holder = new MessageStream[1];
        holder[0] = new MessageStream(stream, maxMessageSize, LiteErrorCode.PROTOCOL_VIOLATION, session.stats(), in -> {
            if (typed[0] || !VarInt.isReadable(in)) {
                return;
            }
            int mark = in.readerIndex();
            LiteVersion version = session.version();
            LiteControlType type;
            try {
                type = LiteControlType.tryRead(in, version == null ? LiteVersion.DRAFT_02 : version);
            } catch (ProtocolException e) {
                reject(stream, holder[0], LiteErrorCode.UNEXPECTED_STREAM, "reason=\"" + e.getMessage() + "\"");
                return;
            }
            if (type == null) {
                return;
            }
            if (version == null && type != LiteControlType.CLIENT_COMPAT) {
                throw new ProtocolException(LiteErrorCode.PROTOCOL_VIOLATION, "stream before setup", true);
            }
            switch (type) {
                case CLIENT_COMPAT -> {
                    if (session.clientSide() || version != null) {
                        throw new ProtocolException(LiteErrorCode.PROTOCOL_VIOLATION, "unexpected CLIENT_SETUP", true);
                    }
                    setup.acceptClientSetup(stream, in);
                    if (session.version() == null) {
                        in.readerIndex(mark); // incomplete: retry with more bytes
                        return;
                    }
                    typed[0] = true;
                    holder[0].parser(rest -> rest.skipBytes(rest.readableBytes()));
                    holder[0].events(setup.sessionStreamEvents());
                }
                case ANNOUNCE -> {
                    typed[0] = true;
                    holder[0].parser(rest -> {
                        AnnouncePlease please = AnnouncePlease.DECODER.tryDecode(rest, version, maxMessageSize);
                        if (please != null) {
                            holder[0].parser(more -> more.skipBytes(more.readableBytes()));
                            publisher.serveAnnounces(stream, please, holder[0]);
                        }
                    });
                    holder[0].parseNow();
                }
                case SUBSCRIBE -> {
                    typed[0] = true;
                    holder[0].parser(rest -> {
                        Subscribe sub = Subscribe.DECODER.tryDecode(rest, version, maxMessageSize);
                        if (sub != null) {
                            publisher.serveSubscribe(stream, sub, holder[0]);
                        }
                    });
                    holder[0].parseNow();
                }
                case TRACK -> {
                    typed[0] = true;
                    holder[0].parser(rest -> {
                        Track request = Track.DECODER.tryDecode(rest, version, maxMessageSize);
                        if (request != null) {
                            publisher.serveTrack(stream, request, holder[0]);
                        }
                    });
                    holder[0].parseNow();
                }
                case FETCH -> {
                    typed[0] = true;
                    holder[0].parser(rest -> {
                        Fetch fetch = Fetch.DECODER.tryDecode(rest, version, maxMessageSize);
                        if (fetch != null) {
                            publisher.serveFetch(stream, fetch, holder[0]);
                        }
                    });
                    holder[0].parseNow();
                }
                case PROBE -> {
                    // Accepted and held: we send no probe reports.
                    typed[0] = true;
                    holder[0].parser(rest -> rest.skipBytes(rest.readableBytes()));
                }
                case GOAWAY -> {
                    typed[0] = true;
                    goaway.receive(holder[0]);
                    holder[0].parseNow();
                }
                default -> reject(stream, holder[0], LiteErrorCode.UNSUPPORTED, "reason=unsupported type=" + type);
            }
        }, new MessageStream.Events() {
            @Override
            public void onEnd() {
            }

            @Override
            public void onReset(long code) {
            }

            @Override
            public void onError(ProtocolException e) {
                session.protocolError("bidi", e);
                if (e.sessionFatal()) {
                    session.close(e.code(), e.getMessage());
                } else {
                    stream.stopSending(e.code());
                    stream.reset(e.code());
                }
            }
        });
        holder[0].attach();
    }

    private void reject(BidiStream stream, MessageStream reader, long code, String why) {
        session.stats().streamErrors.increment();
        reader.finish();
        stream.stopSending(code);
        stream.reset(code);
        LiteSession.LOG.log(System.Logger.Level.INFO, "event=stream_rejected " + why
                + " remote=" + session.connection().remoteAddress());
    }
}
