package dev.jmoq.wire.ietf;

/**
 * Object Status values ("Object Status", drafts 14-20): sent instead of a payload when the payload
 * length is zero. DOES_NOT_EXIST exists on drafts 14-15 only.
 */
public final class ObjectStatus {
    public static final long NORMAL = 0x0;
    /** Drafts 14-15. */
    public static final long DOES_NOT_EXIST = 0x1;
    public static final long END_OF_GROUP = 0x3;
    public static final long END_OF_TRACK = 0x4;

    private ObjectStatus() {
    }
}
