package dev.jmoq.cli;

import dev.jmoq.core.session.ProtocolFamily;
import dev.jmoq.core.session.SessionFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns {@code --protocol} values into the protocol list a client offers (ALPN on raw QUIC, the
 * WebTransport protocol list, the WebSocket subprotocols), most preferred first. A value is a protocol
 * as peers name it ({@code moq-lite-04}, {@code moqt-20}, {@code moq-00}), a comma-separated list of
 * them, or a family: {@code lite} (every moq-lite draft) or {@code ietf} (every moq-transport draft,
 * newest first). Unknown names are refused with {@link IllegalArgumentException}. Stateless.
 */
public final class ProtocolOffer {
    private ProtocolOffer() {
    }

    /**
     * The offer for {@code values}, duplicates dropped, order kept; empty when {@code values} is empty
     * (the client then offers every protocol of the default families).
     */
    public static List<String> expand(List<String> values, SessionFactory factory) {
        Set<String> out = new LinkedHashSet<>();
        for (String value : values) {
            for (String raw : value.split(",")) {
                String p = raw.trim().toLowerCase(Locale.ROOT);
                if (p.isEmpty()) {
                    continue;
                }
                List<String> family = family(p, factory);
                if (family != null) {
                    out.addAll(family);
                } else if (factory.familyFor(p).isPresent()) {
                    out.add(p);
                } else {
                    throw new IllegalArgumentException("unknown protocol " + p + " (known: lite, ietf, "
                            + String.join(", ", factory.protocols()) + ")");
                }
            }
        }
        return List.copyOf(new ArrayList<>(out));
    }

    /** The protocols of the family {@code name} ({@code lite}/{@code moq-lite}, {@code ietf}/{@code moq-transport}); null if none. */
    static List<String> family(String name, SessionFactory factory) {
        String wanted = switch (name) {
            case "lite", "moq-lite" -> "moq-lite";
            case "ietf", "moqt", "moq-transport" -> "moq-transport";
            default -> null;
        };
        if (wanted == null) {
            return null;
        }
        for (ProtocolFamily f : factory.families()) {
            if (f.name().equals(wanted)) {
                return f.protocols();
            }
        }
        return null;
    }

    /**
     * The protocol of IETF moq-transport draft {@code draft} (14: {@code moq-00}, with the version in
     * SETUP; 15 and later: {@code moqt-NN}), from the runner's {@code MOQT_DRAFT} forms {@code 16},
     * {@code draft-16} or {@code draft-ietf-moq-transport-16}.
     */
    public static String ietfDraft(String draft) {
        String d = draft.trim().toLowerCase(Locale.ROOT);
        int dash = d.lastIndexOf('-');
        if (dash >= 0) {
            d = d.substring(dash + 1);
        }
        int n;
        try {
            n = Integer.parseInt(d);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a moq-transport draft: " + draft);
        }
        if (n < 14) {
            throw new IllegalArgumentException("moq-transport draft " + n + " is not spoken (14 and later are)");
        }
        return n == 14 ? "moq-00" : "moqt-" + n;
    }
}
