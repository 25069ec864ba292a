package dev.jmoq.wire.ietf;

/**
 * Setup Parameter / Setup Option codepoints (CLIENT_SETUP, SERVER_SETUP, SETUP). Always
 * Key-Value-Pairs: even types carry a varint, odd types a length-prefixed value.
 */
public final class SetupOption {
    /** The request path, when the transport has no URL (raw QUIC). UTF-8. */
    public static final long PATH = 0x01;
    /** MAX_REQUEST_ID (drafts 14-16): the initial request-id limit the sender grants. */
    public static final long MAX_REQUEST_ID = 0x02;
    public static final long AUTHORIZATION_TOKEN = 0x03;
    public static final long MAX_AUTH_TOKEN_CACHE_SIZE = 0x04;
    /** The authority (host), when the transport has none (raw QUIC). */
    public static final long AUTHORITY = 0x05;
    /** MAX_FILTER_RANGES (19+). */
    public static final long MAX_FILTER_RANGES = 0x06;
    /** Free-text implementation name (15+). */
    public static final long MOQT_IMPLEMENTATION = 0x07;
    /** MAX_REQUEST_UPDATES (19+). */
    public static final long MAX_REQUEST_UPDATES = 0x08;

    private SetupOption() {
    }
}
