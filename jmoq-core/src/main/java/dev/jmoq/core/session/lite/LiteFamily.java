package dev.jmoq.core.session.lite;

import dev.jmoq.core.session.ProtocolFamily;
import dev.jmoq.core.session.Session;
import dev.jmoq.core.session.SessionContext;
import dev.jmoq.core.session.SessionError;
import dev.jmoq.wire.lite.LiteVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * The moq-lite family: the drafts this session layer serves (01 to 05; see {@link #serves}), their
 * protocol names newest first ({@code moq-lite-05}, {@code moq-lite-04}, {@code moq-lite-03}, then {@code moql} for 01/02,
 * which are negotiated with CLIENT_SETUP / SERVER_SETUP), and moq-dev's error codes. It also runs
 * connections that carried no protocol at all (a bare {@code qmux-00} WebSocket): those negotiate in SETUP.
 * Immutable and thread-safe.
 */
public final class LiteFamily implements ProtocolFamily {
    private static final List<String> PROTOCOLS = servedProtocols();

    /**
     * True when the session layer serves {@code version}: every draft from 01 to 05, draft 05's datagrams
     * included (docs/wire-moq-lite.md, "What jmoq's session does on 05").
     */
    public static boolean serves(LiteVersion version) {
        return version != null;
    }

    private static List<String> servedProtocols() {
        List<String> out = new ArrayList<>();
        boolean legacy = false;
        LiteVersion[] all = LiteVersion.values();
        for (int i = all.length - 1; i >= 0; i--) {
            LiteVersion v = all[i];
            if (!serves(v)) {
                continue;
            }
            if (v.alpn() != null) {
                out.add(v.alpn());
            } else {
                legacy |= v.hasLegacySetup();
            }
        }
        if (legacy) {
            out.add(LiteVersion.ALPN_LEGACY);
        }
        return List.copyOf(out);
    }

    @Override
    public String name() {
        return "moq-lite";
    }

    @Override
    public List<String> protocols() {
        return PROTOCOLS;
    }

    @Override
    public boolean accepts(String protocol) {
        if (LiteVersion.negotiatesInSetup(protocol)) {
            return true;
        }
        LiteVersion v = LiteVersion.fromAlpn(protocol);
        return v != null && serves(v);
    }

    @Override
    public long code(SessionError error) {
        return LiteErrors.code(error);
    }

    @Override
    public Session create(SessionContext context) {
        return new LiteSession(context);
    }

    /** The version's name as peers print it: {@code moq-lite-04}, or {@code moq-lite-02} for SETUP-negotiated drafts. */
    static String versionName(LiteVersion v) {
        return String.format("moq-lite-%02d", v.ordinal() + 1);
    }
}
