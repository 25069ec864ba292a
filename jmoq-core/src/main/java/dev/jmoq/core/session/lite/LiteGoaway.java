package dev.jmoq.core.session.lite;

import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.StreamReader;
import dev.jmoq.wire.lite.Goaway;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * GOAWAY both ways (moq-lite draft 04 and later, {@link LiteVersion#hasGoaway()}): sending one on a bidi
 * stream of its own when this endpoint is going away, and hearing the peer's.
 *
 * <p>Threading: {@link #send} from any thread (it hops onto the loop); {@link #receive} on the loop.
 */
final class LiteGoaway {
    private final LiteSession session;

    LiteGoaway(LiteSession session) {
        this.session = session;
    }

    /**
     * Tells the peer to move to {@code uri} (empty: to reconnect wherever it likes). The session stays
     * usable until it is closed. Returns false when the negotiated draft has no GOAWAY.
     */
    boolean send(String uri) {
        LiteVersion v = session.version();
        if (v == null || !v.hasGoaway()) {
            return false;
        }
        session.loop().execute(() -> {
            if (session.isClosed()) {
                return;
            }
            session.connection().openBidi().addListener(f -> {
                if (!f.isSuccess()) {
                    return;
                }
                BidiStream s = (BidiStream) f.getNow();
                session.stats().goawaysSent.increment(); // counted before it leaves, so a peer that saw it sees the count
                ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
                LiteControlType.GOAWAY.write(out);
                new Goaway(uri == null ? "" : uri).encode(out, v);
                s.write(out);
                s.flush();
                s.setReader(new StreamReader() {
                    @Override
                    public void onData(ByteBuf data) {
                        data.release();
                    }

                    @Override
                    public void onFinish() {
                    }

                    @Override
                    public void onReset(long code) {
                    }
                });
            });
        });
        return true;
    }

    /** Reads the peer's GOAWAY from a stream whose type was read; later bytes are ignored. */
    void receive(MessageStream reader) {
        reader.parser(rest -> {
            Goaway g = Goaway.DECODER.tryDecode(rest, session.version(), session.config().maxMessageSize());
            if (g != null) {
                reader.parser(more -> more.skipBytes(more.readableBytes()));
                LiteSession.LOG.log(System.Logger.Level.INFO, "event=goaway_received uri=\"" + g.uri() + "\" remote="
                        + session.connection().remoteAddress());
                session.goawayReceived(g.uri());
            }
        });
    }
}
