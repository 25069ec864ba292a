package dev.jmoq.wire.lite;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Draft 05+ SETUP: the single message on each side's unidirectional Setup stream
 * ({@link LiteDataType#SETUP}), a bag of {@link LiteParameter}s kept in wire order.
 *
 * <p>Known parameters: {@link #PARAM_PROBE} (varint level), {@link #PARAM_PATH} (UTF-8, client
 * only), {@link #PARAM_ROLE} (varint), {@link #PARAM_COST} (varint, lite-06 onwards in moq-dev),
 * {@link #PARAM_ORIGIN} (varint origin id). Defaults are sent as absence.
 */
public record Setup(List<LiteParameter> parameters) implements LiteMessage {
    public static final long PARAM_PROBE = 0x1;
    public static final long PARAM_PATH = 0x2;
    public static final long PARAM_ROLE = 0x3;
    public static final long PARAM_COST = 0x4;
    public static final long PARAM_ORIGIN = 0x5;

    public static final int PROBE_NONE = 0;
    public static final int PROBE_REPORT = 1;
    public static final int PROBE_INCREASE = 2;

    public static final int ROLE_BOTH = 0;
    public static final int ROLE_PUBLISHER = 1;
    public static final int ROLE_SUBSCRIBER = 2;

    public static final MessageDecoder<Setup> DECODER = LiteCodec.sizePrefixed("SETUP", LiteVersion::hasSetupStream,
            (b, v) -> new Setup(LiteParameter.readAll(b)));

    public Setup {
        parameters = List.copyOf(parameters);
    }

    /**
     * Builds a SETUP the way the reference clients do: probe, path, role, origin in that order,
     * each omitted at its default ({@code PROBE_NONE}, null path, {@code ROLE_BOTH}, origin 0).
     */
    public static Setup of(int probe, String path, int role, long origin) {
        List<LiteParameter> p = new ArrayList<>(4);
        if (probe != PROBE_NONE) {
            p.add(LiteParameter.ofVarint(PARAM_PROBE, probe));
        }
        if (path != null) {
            p.add(new LiteParameter(PARAM_PATH, path.getBytes(StandardCharsets.UTF_8)));
        }
        if (role != ROLE_BOTH) {
            p.add(LiteParameter.ofVarint(PARAM_ROLE, role));
        }
        if (origin != 0) {
            p.add(LiteParameter.ofVarint(PARAM_ORIGIN, origin));
        }
        return new Setup(p);
    }

    private LiteParameter find(long id) {
        for (LiteParameter p : parameters) {
            if (p.id() == id) {
                return p;
            }
        }
        return null;
    }

    /** The advertised probe level; unknown higher values saturate to {@link #PROBE_INCREASE}. */
    public int probe() throws ProtocolException {
        LiteParameter p = find(PARAM_PROBE);
        return p == null ? PROBE_NONE : (int) Math.min(p.varint(), PROBE_INCREASE);
    }

    /** The request path, or null when absent. Malformed UTF-8 is a decode error. */
    public String path() throws ProtocolException {
        LiteParameter p = find(PARAM_PATH);
        if (p == null) {
            return null;
        }
        ByteBuf b = io.netty.buffer.Unpooled.buffer(p.value().length + 8);
        Fields.writeBytes(b, p.value());
        return Fields.string(b, Integer.MAX_VALUE, "setup path");
    }

    /** The declared role; unknown values mean {@link #ROLE_BOTH}. */
    public int role() throws ProtocolException {
        LiteParameter p = find(PARAM_ROLE);
        long r = p == null ? ROLE_BOTH : p.varint();
        return r == ROLE_PUBLISHER || r == ROLE_SUBSCRIBER ? (int) r : ROLE_BOTH;
    }

    /** The declared origin id, 0 when none. */
    public long origin() throws ProtocolException {
        LiteParameter p = find(PARAM_ORIGIN);
        return p == null ? 0 : p.varint();
    }

    @Override
    public boolean existsIn(LiteVersion v) {
        return v.hasSetupStream();
    }

    /** Writes the size-prefixed message; the {@link LiteDataType#SETUP} stream type goes before it. */
    @Override
    public void encode(ByteBuf out, LiteVersion v) {
        LiteCodec.requireExists(this, v);
        if (parameters.size() > LiteLimits.MAX_PARAMETERS) {
            throw new IllegalArgumentException("too many parameters: " + parameters.size());
        }
        LiteCodec.writeSizePrefixed(out, v, (w, ver) -> LiteParameter.writeAll(w, parameters));
    }
}
