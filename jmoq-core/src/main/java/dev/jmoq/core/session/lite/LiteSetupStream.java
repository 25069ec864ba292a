package dev.jmoq.core.session.lite;

import dev.jmoq.core.model.PathNormalizer;
import dev.jmoq.transport.SendStream;
import dev.jmoq.transport.TransportKind;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.lite.LiteDataType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.Setup;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * moq-lite-05's SETUP exchange (draft-lcurley-moq-lite-05, "SETUP"; docs/wire-moq-lite.md, "moq-lite-05
 * session behaviour" 1): each side opens one uni stream {@code 0x1}, writes one SETUP and FINs, without
 * waiting for the peer's. We send our Origin (the hop id we also put in ANNOUNCE_OK) and, as a client on
 * raw QUIC (a binding without a request URI), the Path. From the peer's SETUP: its Origin is the exclude
 * hop for what we serve it; a client's Path on raw QUIC roots the session as the URL path does on the
 * other transports (normalized like every path). A second SETUP is a protocol violation on the session.
 *
 * <p>A server waits for the client's SETUP before the session starts (as moq-dev's server does), so the
 * Path routes the session before any request is served; the client never waits for ours.
 *
 * <p>Threading: the session's event loop.
 */
final class LiteSetupStream {
    private final LiteSession session;
    private boolean received;
    private long peerOrigin;

    LiteSetupStream(LiteSession session) {
        this.session = session;
    }

    /** Opens our SETUP stream, writes SETUP and FINs. */
    void send() {
        String path = null;
        if (session.clientSide() && session.connection().kind() == TransportKind.QUIC) {
            String p = session.connection().path();
            path = p == null || p.equals("/") ? null : p.startsWith("/") ? p.substring(1) : p;
        }
        Setup setup = Setup.of(Setup.PROBE_NONE, path, Setup.ROLE_BOTH, session.config().originId());
        session.connection().openUni().addListener(f -> {
            if (!f.isSuccess()) {
                session.close(LiteErrorCode.PROTOCOL_VIOLATION, "cannot open setup stream");
                return;
            }
            SendStream s = (SendStream) f.getNow();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteDataType.SETUP.write(out);
            setup.encode(out, session.version());
            s.writeAndFinish(out);
        });
    }

    /** The peer's SETUP arrived. */
    void receive(Setup setup) throws ProtocolException {
        if (received) {
            throw new ProtocolException(LiteErrorCode.PROTOCOL_VIOLATION, "second SETUP stream", true);
        }
        received = true;
        peerOrigin = setup.origin();
        String path = setup.path();
        if (path != null && !session.clientSide() && session.connection().kind() == TransportKind.QUIC) {
            int q = path.indexOf('?');
            session.reroot(PathNormalizer.normalize(q >= 0 ? path.substring(0, q) : path));
        }
        LiteSession.LOG.log(System.Logger.Level.DEBUG, () -> "event=setup_received origin=" + peerOrigin
                + " role=" + roleName(setup) + " remote=" + session.connection().remoteAddress());
        session.setupReceived();
    }

    private static String roleName(Setup setup) {
        try {
            return switch (setup.role()) {
                case Setup.ROLE_PUBLISHER -> "publisher";
                case Setup.ROLE_SUBSCRIBER -> "subscriber";
                default -> "both";
            };
        } catch (ProtocolException e) {
            return "both";
        }
    }

    /** The peer's origin (hop id) from its SETUP, 0 when unknown. */
    long peerOrigin() {
        return peerOrigin;
    }
}
