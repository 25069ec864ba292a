package dev.jmoq.relay.cluster;

/** How a relay link shares broadcasts. */
public enum LinkKind {
    /** We pull the remote relay's broadcasts; ours are not offered to it. */
    UPSTREAM,
    /** Broadcasts flow both ways. */
    PEER
}
