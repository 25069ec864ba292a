package dev.jmoq.wire.lite;

/** How an ANNOUNCE carries its hop chain in a given draft. */
public enum HopEncoding {
    /** Drafts 01 and 02: no hop information. */
    NONE,
    /** Draft 03: only the number of hops. */
    COUNT,
    /** Drafts 04 and later: the count followed by each hop's 62-bit origin id. */
    IDS
}
