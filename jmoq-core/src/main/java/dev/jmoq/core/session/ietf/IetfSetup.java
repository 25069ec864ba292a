package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.MessageStream;
import dev.jmoq.transport.BidiStream;
import dev.jmoq.transport.RecvStream;
import dev.jmoq.transport.SendStream;
import dev.jmoq.wire.ProtocolException;
import dev.jmoq.wire.ietf.ClientSetup;
import dev.jmoq.wire.ietf.ControlCodec;
import dev.jmoq.wire.ietf.IetfErrorCode;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Parameter;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.ServerSetup;
import dev.jmoq.wire.ietf.Setup;
import dev.jmoq.wire.ietf.SetupOption;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * The setup exchange, in the draft's layout (draft-ietf-moq-transport "Session initialization"):
 * drafts 14-16 open one bidi control stream from the client with CLIENT_SETUP (draft 14 lists the
 * versions) and SERVER_SETUP (draft 14: the chosen one), and the stream stays the control stream;
 * drafts 17+ have each peer open a uni control stream that starts with SETUP. MAX_REQUEST_ID goes in
 * the options where the draft has request flow control.
 *
 * <p>Threading: the session's event loop.
 */
final class IetfSetup {
    private final IetfSession session;
    private final IetfControl control;
    /** Drafts 17+: the peer's control stream arrived. */
    private boolean peerSetup;
    /** Drafts 17+: the peer's SETUP was read and accepted (its stream arriving is not enough). */
    private boolean peerSetupRead;
    private boolean ourSetup;

    IetfSetup(IetfSession session, IetfControl control) {
        this.session = session;
        this.control = control;
    }

    private Parameters options() {
        IetfVersion v = session.version();
        if (v.hasRequestFlowControl()) {
            return Parameters.of(new Parameter.Int(SetupOption.MAX_REQUEST_ID, session.requestIds().initialGrant()));
        }
        return Parameters.EMPTY;
    }

    void start() {
        IetfVersion v = session.version();
        if (v.hasRequestStreams()) {
            sendSetupStream();
        } else if (session.clientSide()) {
            sendClientSetup();
        }
        // Drafts 14-16 server: wait for the client's control stream (IetfControl.acceptBidi).
    }

    private void write(SendStream s, IetfMessage m) {
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        ControlCodec.write(out, m, session.version());
        s.write(out);
        s.flush();
    }

    // ---- drafts 14-16 ------------------------------------------------------------------------

    private void sendClientSetup() {
        IetfVersion v = session.version();
        session.connection().openBidi().addListener(f -> {
            if (!f.isSuccess()) {
                session.close(IetfErrorCode.INTERNAL_ERROR.code(), "cannot open the control stream");
                return;
            }
            BidiStream s = (BidiStream) f.getNow();
            write(s, new ClientSetup(v.hasSetupVersions() ? List.of(v.code()) : List.of(), options()));
            MessageStream[] holder = new MessageStream[1];
            holder[0] = new MessageStream(s, session.config().maxMessageSize(), IetfErrorCode.PROTOCOL_VIOLATION.code(),
                    in -> {
                        if (session.isEstablished()) {
                            return;
                        }
                        IetfMessage m = ControlCodec.tryRead(in, v, session.config().maxMessageSize());
                        if (m == null) {
                            return;
                        }
                        if (!(m instanceof ServerSetup ss)) {
                            throw violation("expected SERVER_SETUP, got " + m.getClass().getSimpleName());
                        }
                        if (v.hasSetupVersions() && ss.selectedVersion() != v.code()) {
                            throw new ProtocolException(IetfErrorCode.VERSION_NEGOTIATION_FAILED.code(),
                                    "server chose version 0x" + Long.toHexString(ss.selectedVersion()), true);
                        }
                        peerOptions(ss.options());
                        control.controlStream(s, holder[0]);
                        session.established();
                    }, control.controlEvents()).attach();
        });
    }

    /** Server, drafts 14-16: the client's CLIENT_SETUP opened {@code s}; it becomes the control stream. */
    void acceptClientSetup(BidiStream s, ClientSetup cs, MessageStream reader) throws ProtocolException {
        IetfVersion v = session.version();
        if (session.clientSide() || session.isEstablished()) {
            throw violation("unexpected CLIENT_SETUP");
        }
        if (v.hasSetupVersions() && !cs.versions().contains(v.code())) {
            throw new ProtocolException(IetfErrorCode.VERSION_NEGOTIATION_FAILED.code(),
                    "no common version in CLIENT_SETUP " + cs.versions(), true);
        }
        if (!session.authorizeSetup(cs.options())) {
            return;
        }
        write(s, new ServerSetup(v.code(), options()));
        peerOptions(cs.options());
        control.controlStream(s, reader);
        session.established();
    }

    // ---- drafts 17+ --------------------------------------------------------------------------

    private void sendSetupStream() {
        session.connection().openUni().addListener(f -> {
            if (!f.isSuccess()) {
                session.close(IetfErrorCode.INTERNAL_ERROR.code(), "cannot open the control stream");
                return;
            }
            SendStream s = (SendStream) f.getNow();
            write(s, new Setup(options()));
            control.ourControlStream(s);
            ourSetup = true;
            if (peerSetupRead) {
                session.established();
            }
        });
    }

    /** Drafts 17+: the peer's uni control stream; {@code first} holds its bytes so far (owned here). */
    void acceptSetupStream(RecvStream stream, ByteBuf first) {
        IetfVersion v = session.version();
        if (peerSetup) {
            first.release();
            session.violation("setup", "a second control stream");
            return;
        }
        peerSetup = true;
        boolean[] setupRead = {false};
        MessageStream reader = new MessageStream(stream, session.config().maxMessageSize(),
                IetfErrorCode.PROTOCOL_VIOLATION.code(), in -> {
                    IetfMessage m;
                    while ((m = ControlCodec.tryRead(in, v, session.config().maxMessageSize())) != null) {
                        if (!setupRead[0]) {
                            if (!(m instanceof Setup setup)) {
                                throw violation("the control stream must start with SETUP");
                            }
                            setupRead[0] = true;
                            if (!session.authorizeSetup(setup.options())) {
                                return;
                            }
                            peerOptions(setup.options());
                            peerSetupRead = true;
                            if (ourSetup) {
                                session.established();
                            }
                        } else {
                            control.onControlMessage(m);
                        }
                    }
                }, control.controlEvents()).attach();
        reader.onData(first);
    }

    private void peerOptions(Parameters options) {
        options.number(SetupOption.MAX_REQUEST_ID).ifPresent(max ->
                session.requestIds().onPeerLimit(max, control::sendBlocked));
    }

    static ProtocolException violation(String why) {
        return new ProtocolException(IetfErrorCode.PROTOCOL_VIOLATION.code(), why, true);
    }
}
