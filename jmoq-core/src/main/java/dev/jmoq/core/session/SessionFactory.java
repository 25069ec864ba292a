package dev.jmoq.core.session;

import dev.jmoq.core.session.ietf.IetfFamily;
import dev.jmoq.core.session.lite.LiteFamily;
import dev.jmoq.transport.MoqConnection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the {@link Session} for a connection, by the protocol it negotiated: the QUIC ALPN, the
 * {@code WT-Available-Protocols} pick, or the WebSocket subprotocol's ALPN suffix; an empty protocol goes
 * to the family that negotiates in-band (moq-lite's CLIENT_SETUP for drafts 01/02). Families are tried
 * in registration order, which is also the order of preference of {@link #protocols()}, the list the
 * transports offer. Immutable and thread-safe.
 */
public final class SessionFactory {
    private final List<ProtocolFamily> families;
    private final List<String> protocols;

    /** A factory over {@code families}, most preferred first. */
    public SessionFactory(List<ProtocolFamily> families) {
        if (families.isEmpty()) {
            throw new IllegalArgumentException("no protocol family");
        }
        this.families = List.copyOf(families);
        Set<String> all = new LinkedHashSet<>();
        for (ProtocolFamily f : this.families) {
            all.addAll(f.protocols());
        }
        this.protocols = List.copyOf(all);
    }

    /**
     * Every family jmoq implements, most preferred first: moq-lite, then IETF moq-transport (a peer that
     * offers both gets moq-lite).
     */
    public static SessionFactory defaults() {
        return new SessionFactory(List.of(new LiteFamily(), new IetfFamily()));
    }

    /** The same families plus {@code family}, least preferred. */
    public SessionFactory register(ProtocolFamily family) {
        List<ProtocolFamily> next = new ArrayList<>(families);
        next.add(family);
        return new SessionFactory(next);
    }

    public List<ProtocolFamily> families() {
        return families;
    }

    /** Every registered family's protocol names, most preferred first (what the transports offer). */
    public List<String> protocols() {
        return protocols;
    }

    /** The family that runs connections that negotiated {@code protocol} (null counts as empty), if any. */
    public Optional<ProtocolFamily> familyFor(String protocol) {
        String p = protocol == null ? "" : protocol;
        for (ProtocolFamily f : families) {
            if (f.accepts(p)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /**
     * A session for {@code context}'s connection, of the family of its negotiated protocol; not started.
     *
     * @throws IllegalArgumentException no registered family accepts the connection's protocol
     */
    public Session create(SessionContext context) {
        String protocol = context.connection().protocol();
        return familyFor(protocol)
                .orElseThrow(() -> new IllegalArgumentException("no protocol family for \"" + protocol + "\""))
                .create(context);
    }

    /**
     * The wire code for {@code error} on {@code connection}: its family's, or the most preferred family's
     * when none accepts its protocol.
     */
    public long code(MoqConnection connection, SessionError error) {
        return familyFor(connection.protocol()).orElse(families.get(0)).code(error);
    }

    /** Closes a connection that gets no session (refused before one starts) with its family's code. */
    public void refuse(MoqConnection connection, SessionError error, String reason) {
        connection.close(code(connection, error), reason);
    }
}
