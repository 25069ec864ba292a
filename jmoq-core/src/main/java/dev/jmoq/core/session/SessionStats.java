package dev.jmoq.core.session;

import java.util.concurrent.atomic.LongAdder;

/** Relay-wide session counters, read by metrics. Thread-safe. */
public final class SessionStats {
    /** Sessions established (SETUP done, or the version known from the transport). */
    public final LongAdder sessionsOpened = new LongAdder();
    /**
     * Established sessions that ended, each once: a connection closed before its session was established
     * (refused in SETUP, handshake timeout) is in neither counter, so opened minus closed never goes below 0.
     */
    public final LongAdder sessionsClosed = new LongAdder();
    public final LongAdder goawaysSent = new LongAdder();
    /** Sessions refused at connect (bad or missing token, origin not allowed). */
    public final LongAdder sessionsRefused = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder streamErrors = new LongAdder();
    public final LongAdder broadcastsAnnounced = new LongAdder();
    public final LongAdder subscribesServed = new LongAdder();
    public final LongAdder subscribesNotFound = new LongAdder();
    public final LongAdder subscribeUpdates = new LongAdder();
    /** IETF SUBSCRIBEs held for a publisher to appear (RENDEZVOUS_TIMEOUT, draft 17+). */
    public final LongAdder subscribesHeld = new LongAdder();
    /** Announcements and subscriptions refused because the session's grant does not cover them. */
    public final LongAdder unauthorized = new LongAdder();
    /** Announcements ignored because the session already had its maximum. */
    public final LongAdder limitAnnouncements = new LongAdder();
    /** Subscriptions refused because the session went over its subscribe rate. */
    public final LongAdder limitSubscribeRate = new LongAdder();
    /** Announcements, announce requests and subscriptions refused for their path (core.model.Paths#problem). */
    public final LongAdder limitPaths = new LongAdder();
    /** Control messages refused for being larger than the maximum message size. */
    public final LongAdder limitMessageSize = new LongAdder();
    /** Frames refused for being larger than the maximum frame size. */
    public final LongAdder limitFrameSize = new LongAdder();
    public final LongAdder groupsIn = new LongAdder();
    public final LongAdder groupsRefused = new LongAdder();
    public final LongAdder framesIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    /** Datagrams received into a group: IETF OBJECT_DATAGRAM objects, moq-lite-05 one-frame groups. */
    public final LongAdder datagramsIn = new LongAdder();
    /**
     * Datagrams dropped: malformed, for an unknown track alias or subscribe id, for a refused (duplicate, too
     * old) or ended group, out of order, or on a moq-lite session of a draft without datagrams.
     */
    public final LongAdder datagramsDropped = new LongAdder();
    /** Of {@link #datagramsDropped}, those that did not decode. */
    public final LongAdder datagramsMalformed = new LongAdder();
}
