package dev.jmoq.core.session.lite;

import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.VarInt;
import dev.jmoq.wire.lite.ClientSetup;
import dev.jmoq.wire.lite.LiteControlType;
import dev.jmoq.wire.lite.LiteErrorCode;
import dev.jmoq.wire.lite.LiteVersion;
import dev.jmoq.wire.lite.ServerSetup;
import dev.jmoq.wire.lite.SetupParameter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * moq-lite version negotiation for the drafts that have no ALPN of their own (01 and 02): the client
 * opens a bidi stream with CLIENT_SETUP (the versions it speaks), the server answers SERVER_SETUP with
 * its pick, and the stream stays open as the session stream (draft-lcurley-moq-lite-02, "Session").
 * Drafts 03 and later are chosen by ALPN and skip this class.
 *
 * <p>Threading: the session's event loop.
 */
final class LiteSetup {
    private static final byte[] IMPLEMENTATION = "jmoq".getBytes(StandardCharsets.UTF_8);

    private final LiteSession session;

    LiteSetup(LiteSession session) {
        this.session = session;
    }

    /** The versions this side offers or accepts in SETUP: the served ones that negotiate there, newest first. */
    private static List<LiteVersion> setupVersions() {
        List<LiteVersion> out = new ArrayList<>();
        LiteVersion[] all = LiteVersion.values();
        for (int i = all.length - 1; i >= 0; i--) {
            if (all[i].hasLegacySetup() && LiteFamily.serves(all[i])) {
                out.add(all[i]);
            }
        }
        return out;
    }

    /** Client side: opens the session stream with CLIENT_SETUP and waits for SERVER_SETUP. */
    void sendClientSetup() {
        int maxMessageSize = session.config().maxMessageSize();
        session.connection().openBidi().addListener(f -> {
            if (!f.isSuccess()) {
                session.close(LiteErrorCode.PROTOCOL_VIOLATION, "cannot open setup stream");
                return;
            }
            BidiStream s = (BidiStream) f.getNow();
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            LiteControlType.CLIENT_COMPAT.write(out);
            List<Long> codes = setupVersions().stream().map(LiteVersion::code).toList();
            new ClientSetup(codes, List.of(SetupParameter.ofBytes(SetupParameter.IMPLEMENTATION, IMPLEMENTATION)))
                    .encode(out, LiteVersion.DRAFT_02);
            s.write(out);
            s.flush();
            new MessageStream(s, maxMessageSize, LiteErrorCode.PROTOCOL_VIOLATION, session.stats(), in -> {
                if (session.version() != null) {
                    return; // session stream: nothing more we read here
                }
                if (!VarInt.isReadable(in)) {
                    return;
                }
                int mark = in.readerIndex();
                long type = VarInt.read(in);
                if (type != LiteControlType.SERVER_COMPAT.code()) {
                    throw new ProtocolException(LiteErrorCode.PROTOCOL_VIOLATION, "expected SERVER_SETUP, got " + type, true);
                }
                ServerSetup setup = ServerSetup.DECODER.tryDecode(in, LiteVersion.DRAFT_02, maxMessageSize);
                if (setup == null) {
                    in.readerIndex(mark);
                    return;
                }
                LiteVersion chosen = LiteVersion.fromCode(setup.version());
                if (chosen == null || !chosen.hasLegacySetup()) {
                    throw new ProtocolException(LiteErrorCode.VERSION, "server chose unsupported version " + setup.version(), true);
                }
                session.established(chosen);
            }, sessionStreamEvents()).attach();
        });
    }

    /**
     * Server side: answers a CLIENT_SETUP whose type was already read from {@code in}. Returns without
     * consuming when the message is incomplete (the session's version is still null then).
     */
    void acceptClientSetup(BidiStream s, ByteBuf in) throws ProtocolException {
        ClientSetup setup = ClientSetup.DECODER.tryDecode(in, LiteVersion.DRAFT_02, session.config().maxMessageSize());
        if (setup == null) {
            return;
        }
        LiteVersion chosen = null;
        for (long code : setup.versions()) {
            LiteVersion offered = LiteVersion.fromCode(code);
            if (offered != null && offered.hasLegacySetup() && LiteFamily.serves(offered)) {
                if (chosen == null || offered.ordinal() > chosen.ordinal()) {
                    chosen = offered;
                }
            }
        }
        if (chosen == null) {
            throw new ProtocolException(LiteErrorCode.VERSION, "no common moq-lite version in CLIENT_SETUP", true);
        }
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        LiteControlType.SERVER_COMPAT.write(out);
        new ServerSetup(chosen.code(), List.of(SetupParameter.ofBytes(SetupParameter.IMPLEMENTATION, IMPLEMENTATION)))
                .encode(out, chosen);
        s.write(out);
        s.flush();
        session.established(chosen);
    }

    /** The session stream ending, in any way, ends the session. */
    MessageStream.Events sessionStreamEvents() {
        return new MessageStream.Events() {
            @Override
            public void onEnd() {
                session.close(LiteErrorCode.CLOSED, "session stream ended");
            }

            @Override
            public void onReset(long code) {
                session.close(code, "session stream reset");
            }

            @Override
            public void onError(ProtocolException e) {
                session.protocolError("session", e);
                session.close(e.code(), e.getMessage());
            }
        };
    }
}
