package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The value of the AUTHORIZATION_TOKEN setup option and message parameter (0x03), drafts 14-20
 * ("Authorization Token"): {@code Alias Type (i), [Token Alias (i)], [Token Type (i), Token Value (..)]}.
 * DELETE (0x0) and USE_ALIAS (0x2) carry an alias only, REGISTER (0x1) an alias, a type and a value,
 * USE_VALUE (0x3) a type and a value; the value runs to the end of the parameter. A bad structure is
 * MALFORMED_AUTH_TOKEN (the drafts' session error 0x16).
 */
public record AuthorizationToken(long aliasType, long alias, long tokenType, Octets value) {
    public static final long DELETE = 0x0;
    public static final long REGISTER = 0x1;
    public static final long USE_ALIAS = 0x2;
    public static final long USE_VALUE = 0x3;

    /** A USE_VALUE token: {@code value} of {@code tokenType}, not cached by the peer. */
    public static AuthorizationToken useValue(long tokenType, Octets value) {
        return new AuthorizationToken(USE_VALUE, -1, tokenType, value);
    }

    /** True when the token carries a value (REGISTER, USE_VALUE). */
    public boolean hasValue() {
        return aliasType == REGISTER || aliasType == USE_VALUE;
    }

    /** Parses the option's or parameter's bytes. */
    public static AuthorizationToken decode(Octets raw, IetfVersion v) throws ProtocolException {
        ByteBuf b = Unpooled.wrappedBuffer(raw.toByteArray());
        try {
            long type = read(b, v, "alias type");
            long alias = -1;
            if (type == DELETE || type == REGISTER || type == USE_ALIAS) {
                alias = read(b, v, "token alias");
            } else if (type != USE_VALUE) {
                throw malformed("unknown alias type " + type);
            }
            if (type == DELETE || type == USE_ALIAS) {
                if (b.isReadable()) {
                    throw malformed("bytes after the token alias");
                }
                return new AuthorizationToken(type, alias, -1, Octets.EMPTY);
            }
            long tokenType = read(b, v, "token type");
            byte[] value = new byte[b.readableBytes()];
            b.readBytes(value);
            return new AuthorizationToken(type, alias, tokenType, Octets.of(value));
        } finally {
            b.release();
        }
    }

    /** The option's or parameter's bytes. */
    public Octets encode(IetfVersion v) {
        ByteBuf b = Unpooled.buffer();
        try {
            v.varint().write(b, aliasType);
            if (aliasType != USE_VALUE) {
                v.varint().write(b, alias);
            }
            if (hasValue()) {
                v.varint().write(b, tokenType);
                b.writeBytes(value.toByteArray());
            }
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return Octets.of(out);
        } finally {
            b.release();
        }
    }

    private static long read(ByteBuf b, IetfVersion v, String field) throws ProtocolException {
        if (!v.varint().isReadable(b)) {
            throw malformed("truncated " + field);
        }
        return v.varint().read(b);
    }

    private static ProtocolException malformed(String what) {
        return new ProtocolException(IetfErrorCode.MALFORMED_AUTH_TOKEN.code(), "authorization token: " + what, true);
    }
}
