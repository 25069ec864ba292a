package dev.jmoq.core.session;

/**
 * Why a session, a stream or a connection is ended, in the relay's own terms: the reasons jmoq chooses
 * itself. Each protocol family maps every value to its wire code ({@link ProtocolFamily#code}); codes
 * received from a peer are family codes and are passed on as they came.
 */
public enum SessionError {
    /** A normal end that either side asked for: a client or a cluster link closing. */
    NO_ERROR,
    /** The peer (or we) stopped wanting a stream: an unsubscribe, an announce request withdrawn. */
    CANCELLED,
    /** The relay is shutting down and its drain (GOAWAY, then the grace period) is over. */
    SHUTDOWN,
    /** The session or the relay is closed, so the request cannot be served. */
    CLOSED,
    /** The peer's token was refused or expired, or its grant does not cover the path. */
    UNAUTHORIZED,
    /** A limit was exceeded: sessions in total or per address, subscribe rate, sizes. */
    LIMIT_EXCEEDED,
    /** The peer broke the protocol: a malformed message, a message out of order. */
    PROTOCOL_VIOLATION,
    /** A stream of a type that is unknown or not allowed here. */
    UNEXPECTED_STREAM,
    /** A stream or message the negotiated version has but this endpoint does not serve. */
    UNSUPPORTED,
    /** No common protocol version. */
    VERSION_MISMATCH,
    /** The broadcast, track or subscription does not exist here. */
    NOT_FOUND,
    /** The subscriber fell behind and its oldest group was dropped. */
    LAGGING,
    /** A group that the track already has. */
    DUPLICATE,
    /** A group older than what the track still accepts. */
    TOO_OLD,
    /** A handshake (transport preamble, CONNECT or the MoQ SETUP) did not finish in time. */
    TIMEOUT
}
