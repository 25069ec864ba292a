package dev.jmoq.transport.websocket;

/**
 * Our side's limits on a WebSocket connection: the qmux transport parameters we advertise (receive windows
 * and stream counts), the idle timeout for drafts 01 and later, and local buffering bounds. Immutable.
 *
 * @param maxData                 connection receive window (initial_max_data), replenished as data is consumed
 * @param maxStreamDataBidiLocal  receive window of bidi streams we open
 * @param maxStreamDataBidiRemote receive window of bidi streams the peer opens
 * @param maxStreamDataUni        receive window of uni streams the peer opens
 * @param maxStreamsBidi          bidi streams the peer may have open at once
 * @param maxStreamsUni           uni streams the peer may have open at once
 * @param idleTimeoutMillis       idle timeout of the connection on every framing (advertised as max_idle_timeout
 *                                on qmux-01/02); 0 disables it
 * @param maxQueuedBytes          per stream, bytes queued unsent before the stream reports itself unwritable
 * @param legacyReceiveBuffer     webtransport framing (no flow control): undelivered bytes buffered before
 *                                the socket stops reading
 */
public record QmuxSettings(
        long maxData,
        long maxStreamDataBidiLocal,
        long maxStreamDataBidiRemote,
        long maxStreamDataUni,
        long maxStreamsBidi,
        long maxStreamsUni,
        long idleTimeoutMillis,
        long maxQueuedBytes,
        long legacyReceiveBuffer) {

    public QmuxSettings {
        if (maxData < 0 || maxStreamDataBidiLocal < 0 || maxStreamDataBidiRemote < 0 || maxStreamDataUni < 0
                || maxStreamsBidi < 0 || maxStreamsUni < 0 || idleTimeoutMillis < 0 || maxQueuedBytes <= 0
                || legacyReceiveBuffer <= 0) {
            throw new IllegalArgumentException("invalid qmux settings");
        }
    }

    /**
     * Defaults: 4 MiB per connection, 1 MiB per stream, 1000 streams of each direction (a relay fans many
     * group streams out on one connection), 30 s idle timeout, 1 MiB queued per stream.
     */
    public static QmuxSettings defaults() {
        return new QmuxSettings(4 << 20, 1 << 20, 1 << 20, 1 << 20, 1000, 1000, 30_000, 1 << 20, 4 << 20);
    }

    public QmuxSettings withIdleTimeoutMillis(long millis) {
        return new QmuxSettings(maxData, maxStreamDataBidiLocal, maxStreamDataBidiRemote, maxStreamDataUni,
                maxStreamsBidi, maxStreamsUni, millis, maxQueuedBytes, legacyReceiveBuffer);
    }

    /** The same settings with {@code max} streams of each direction for the peer ({@code initial_max_streams_*}). */
    public QmuxSettings withMaxStreams(long max) {
        return new QmuxSettings(maxData, maxStreamDataBidiLocal, maxStreamDataBidiRemote, maxStreamDataUni,
                max, max, idleTimeoutMillis, maxQueuedBytes, legacyReceiveBuffer);
    }

    /**
     * The transport parameters these settings advertise; {@code max_datagram_frame_size} is
     * {@link QmuxDatagrams#MAX_FRAME_SIZE} (sent on qmux-01/02 only).
     */
    TransportParameters toParameters() {
        return new TransportParameters(idleTimeoutMillis, maxData, maxStreamDataBidiLocal, maxStreamDataBidiRemote,
                maxStreamDataUni, maxStreamsBidi, maxStreamsUni, QmuxDatagrams.MAX_FRAME_SIZE,
                TransportParameters.DEFAULT_MAX_RECORD_SIZE);
    }
}
