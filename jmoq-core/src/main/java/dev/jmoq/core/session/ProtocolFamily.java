package dev.jmoq.core.session;

import java.util.List;

/**
 * One family of MoQ protocols (moq-lite, IETF moq-transport): the protocol names it answers to, the
 * sessions it runs, and its wire codes for the relay's {@link SessionError}s. Registered with a
 * {@link SessionFactory}, which picks the family by the negotiated protocol. Implementations are
 * immutable and thread-safe.
 */
public interface ProtocolFamily extends ErrorCodes {
    /** A short name for logs and docs, e.g. {@code moq-lite}. */
    String name();

    /**
     * The protocol names this family offers and accepts, most preferred first: QUIC ALPNs, which are
     * also the {@code WT-Available-Protocols} values and the ALPN suffixes of WebSocket subprotocols
     * (e.g. {@code moq-lite-04}, {@code moql}; IETF: {@code moqt-22}, {@code moq-00}).
     */
    List<String> protocols();

    /**
     * True when this family runs a connection that negotiated {@code protocol}: one of {@link #protocols()},
     * or for the family that negotiates in-band, the empty protocol (a transport that carried none).
     * Never called with null.
     */
    boolean accepts(String protocol);

    /** A new session on {@code context}'s connection; not started. */
    Session create(SessionContext context);

    /**
     * True when this family's sessions can present a token in their own setup (IETF moq-transport's
     * AUTHORIZATION_TOKEN setup option), so a connection that brought none may still be authorized there
     * ({@link SessionContext#setupToken()}).
     */
    default boolean takesSetupToken() {
        return false;
    }
}
