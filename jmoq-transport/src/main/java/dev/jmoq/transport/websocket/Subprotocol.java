package dev.jmoq.transport.websocket;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One WebSocket subprotocol value: a framing and, optionally, the MoQ ALPN it carries
 * ({@code qmux-01.moq-lite-04}: qmux-01 framing, protocol {@code moq-lite-04}; {@code qmux-00}: no ALPN, the
 * session negotiates with SETUP). Immutable.
 *
 * @param wire  the framing
 * @param alpn  the MoQ protocol, or {@code ""} for a bare value
 */
public record Subprotocol(WireVersion wire, String alpn) {
    /** Newest first: the order in which both sides prefer framings for the same ALPN. */
    private static final List<WireVersion> QMUX_NEWEST_FIRST =
            List.of(WireVersion.QMUX_02, WireVersion.QMUX_01, WireVersion.QMUX_00);

    /** The value on the wire. */
    public String value() {
        return alpn.isEmpty() ? wire.token() : wire.token() + "." + alpn;
    }

    /** Parses a subprotocol value; empty when it names no framing we speak. */
    public static Optional<Subprotocol> parse(String value) {
        for (WireVersion v : WireVersion.values()) {
            if (value.equals(v.token())) {
                return Optional.of(new Subprotocol(v, ""));
            }
            String prefix = v.token() + ".";
            if (value.startsWith(prefix) && value.length() > prefix.length()) {
                return Optional.of(new Subprotocol(v, value.substring(prefix.length())));
            }
        }
        return Optional.empty();
    }

    /**
     * What we accept or offer, best first: for each ALPN in {@code alpns}'s order every qmux draft newest
     * first, then {@code webtransport.<alpn>} (the older polyfill's prefixed form), then the bare framings
     * newest first with {@code webtransport} last. The ALPN order dominates so a WebSocket peer lands on the
     * same MoQ version as a QUIC peer would.
     */
    public static List<String> preference(List<String> alpns) {
        Set<String> out = new LinkedHashSet<>();
        for (String alpn : alpns) {
            for (WireVersion v : QMUX_NEWEST_FIRST) {
                out.add(new Subprotocol(v, alpn).value());
            }
        }
        for (String alpn : alpns) {
            out.add(new Subprotocol(WireVersion.WEBTRANSPORT, alpn).value());
        }
        for (WireVersion v : QMUX_NEWEST_FIRST) {
            out.add(v.token());
        }
        out.add(WireVersion.WEBTRANSPORT.token());
        return new ArrayList<>(out);
    }

    /**
     * Chooses by the server's preference among what the client offered (comma-separated header values
     * allowed); empty when nothing matches.
     */
    public static Optional<Subprotocol> choose(List<String> offered, List<String> serverAlpns) {
        Set<String> client = new LinkedHashSet<>();
        for (String header : offered) {
            for (String part : header.split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) {
                    client.add(p);
                }
            }
        }
        for (String candidate : preference(serverAlpns)) {
            if (client.contains(candidate)) {
                return parse(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * True when the offer comes from the older polyfill ({@code @moq/qmux} 0.0.x, used by {@code @moq/lite}
     * 0.2): it offers only {@code qmux-00} and {@code webtransport} forms, and on qmux-00 it writes
     * APPLICATION_CLOSE (0x1d) with the Frame Type field that RFC 9000 gives only to 0x1c. The connection also
     * clears this guess when the peer's transport parameters carry {@code max_idle_timeout}, which only the
     * newer polyfill sends.
     */
    public static boolean isLegacyOffer(List<String> offered) {
        for (String header : offered) {
            for (String part : header.split(",")) {
                String p = part.trim();
                if (p.startsWith(WireVersion.QMUX_01.token()) || p.startsWith(WireVersion.QMUX_02.token())) {
                    return false;
                }
            }
        }
        return true;
    }
}
