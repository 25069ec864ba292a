package dev.jmoq.core.session.ietf;

import dev.jmoq.core.session.ProtocolFamily;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.wire.ietf.IetfVersion;
import java.util.List;

/**
 * The IETF moq-transport family: drafts 15 to 20 by ALPN / subprotocol ({@code moqt-15} ...
 * {@code moqt-20}; {@code moqt-21} and {@code moqt-22}, wire-identical to 20, are accepted and offered
 * as 20) and draft 14 by {@code moq-00} with the version in CLIENT_SETUP / SERVER_SETUP
 * (draft-ietf-moq-transport, "Version and Extension Negotiation"). Newest first. Registered after
 * moq-lite, so a peer that offers both families gets moq-lite. Immutable and thread-safe.
 */
public final class IetfFamily implements ProtocolFamily {
    /** CLIENT_SETUP / SETUP carry AUTHORIZATION_TOKEN (drafts 14-20). */
    @Override
    public boolean takesSetupToken() {
        return true;
    }

    private static final List<String> PROTOCOLS = List.of("moqt-22", "moqt-21", "moqt-20", "moqt-19", "moqt-18",
            "moqt-17", "moqt-16", "moqt-15", IetfVersion.ALPN_DRAFT_14);

    @Override
    public String name() {
        return "moq-transport";
    }

    @Override
    public List<String> protocols() {
        return PROTOCOLS;
    }

    @Override
    public boolean accepts(String protocol) {
        return IetfVersion.negotiatesInSetup(protocol) || IetfVersion.fromAlpn(protocol) != null;
    }

    /** The draft a negotiated protocol selects ({@code moq-00}: draft 14, the only one we pick in SETUP). */
    static IetfVersion version(String protocol) {
        return IetfVersion.negotiatesInSetup(protocol) ? IetfVersion.DRAFT_14 : IetfVersion.fromAlpn(protocol);
    }

    @Override
    public long code(SessionError error) {
        return IetfErrors.sessionCode(error, IetfVersion.DRAFT_20);
    }

    @Override
    public Session create(SessionContext context) {
        return new IetfSession(context, version(context.connection().protocol()));
    }
}
