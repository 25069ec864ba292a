package dev.jmoq.wire.lite;

/** Bounds the decoders enforce before allocating anything. Values follow the reference clients. */
public final class LiteLimits {
    /** Default bound on one control message body. */
    public static final int DEFAULT_MAX_MESSAGE = 64 * 1024;
    /** Longest track name or URI, in UTF-8 bytes (paths are bounded by the message size and core.model.Paths). */
    public static final int MAX_STRING = 4096;
    /** Longest hop chain (moq-dev MAX_HOPS). */
    public static final int MAX_HOPS = 32;
    /** Most versions offered in CLIENT_SETUP. */
    public static final int MAX_VERSIONS = 128;
    /** Most parameters or extensions in one message. */
    public static final int MAX_PARAMETERS = 64;
    /** Most entries in ANNOUNCE_INIT. */
    public static final int MAX_ANNOUNCE_INIT = 65_536;

    private LiteLimits() {
    }
}
