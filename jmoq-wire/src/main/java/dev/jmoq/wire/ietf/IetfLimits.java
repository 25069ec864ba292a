package dev.jmoq.wire.ietf;

/**
 * Bounds the decoder checks before it allocates anything. The draft fixes the namespace ones
 * ("Track Names": 1 to 32 fields, namespace plus name at most 4096 bytes) and the control message
 * size (a 16-bit length); the others are ours.
 */
public final class IetfLimits {
    /** Fields in a Track Namespace (draft 14+). */
    public static final int MAX_NAMESPACE_FIELDS = 32;
    /** Bytes of a full track name: namespace fields plus track name (draft 14+). */
    public static final int MAX_FULL_NAME_BYTES = 4096;
    /** Largest control message body: its length field is 16 bits. */
    public static final int MAX_CONTROL_MESSAGE = 0xFFFF;
    /** Reason phrases (the draft says at most 1024 bytes). */
    public static final int MAX_REASON = 1024;
    /** Parameters or options in one message. */
    public static final int MAX_PARAMETERS = 64;
    /** Versions offered in CLIENT_SETUP (draft 14). */
    public static final int MAX_VERSIONS = 128;
    /** Object properties / extension headers of one object (the draft's limit: 2^16 - 1 bytes). */
    public static final int MAX_PROPERTIES = 0xFFFF;

    private IetfLimits() {
    }
}
