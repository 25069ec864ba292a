package dev.jmoq.wire.ietf;

/** What a FETCH_HEADER stream carries: objects, and (draft 16+) End of Range markers. */
public sealed interface FetchEntry permits IetfObject, EndOfRange {
}
