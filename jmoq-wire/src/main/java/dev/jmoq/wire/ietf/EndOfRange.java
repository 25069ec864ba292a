package dev.jmoq.wire.ietf;

/**
 * An End of Range marker on a fetch stream (draft 16+): every Location after the previous object up
 * to {@code location} inclusive does not exist ({@link #NON_EXISTENT}, 0x8C), is unknown
 * ({@link #UNKNOWN}, 0x10C) or timed out ({@link #TIMED_OUT}, 0x20C, draft 20).
 */
public record EndOfRange(long flags, Location location) implements FetchEntry {
    public static final long NON_EXISTENT = 0x8C;
    public static final long UNKNOWN = 0x10C;
    public static final long TIMED_OUT = 0x20C;
}
