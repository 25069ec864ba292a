package dev.jmoq.core.session;

import dev.jmoq.core.model.Track;
import dev.jmoq.transport.MoqConnection;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One MoQ session over one connection, whatever the protocol family: it serves an origin's broadcasts
 * to the peer and publishes the peer's broadcasts into an origin (see {@link SessionContext}). Made by a
 * {@link SessionFactory} for the negotiated protocol.
 *
 * <p>Threading: a session runs on its connection's event loop. {@link #start()}, {@link #announced} and
 * {@link #subscribe} must be called there; {@link #goaway} and {@link #close} from any thread; the
 * futures complete on the loop.
 */
public interface Session {
    /** Takes over the connection (setup, then serving). Once; on the connection's event loop. */
    void start();

    MoqConnection connection();

    /** The path the session's wire paths are relative to (the URL path, or the token's root). */
    String root();

    /** The negotiated protocol as peers name it (e.g. {@code moq-lite-04}); null before {@link #ready()}. */
    String protocol();

    /** Completes with {@link #protocol()} once the session is usable; exceptionally if it closes before. */
    CompletableFuture<String> ready();

    /** Completes with the redirect URI (possibly empty) when the peer says it is going away. */
    CompletableFuture<String> goawayReceived();

    /** Completes with the close code (the family's wire code, or -1 when the connection just went) at the end. */
    CompletableFuture<Long> closed();

    /**
     * Tells the peer to move to {@code uri} (empty: wherever it likes) because this endpoint is going
     * away; the session stays usable until closed. Any thread. False when the negotiated version cannot.
     */
    boolean goaway(String uri);

    /** Closes the session with the family's code for {@code error}. Any thread; idempotent. */
    void close(SessionError error, String reason);

    /**
     * Asks the peer for the broadcasts under {@code prefix}; {@code listener} hears (path relative to
     * the prefix, active) for each announcement, on the event loop. Must run on the event loop.
     */
    void announced(String prefix, BiConsumer<String, Boolean> listener);

    /**
     * Subscribes to {@code into}'s track name of the peer's broadcast at {@code path} (relative to
     * {@link #root()}) and fills {@code into}; aborted with the family's code if the peer refuses.
     * Must run on the event loop.
     */
    void subscribe(String path, Track into);

    /**
     * Offers {@code track} to the peer unasked as the track of the broadcast at {@code path} (relative to
     * {@link #root()}): IETF moq-transport's publisher-initiated PUBLISH (drafts 14-20). Completes when
     * the peer accepts (PUBLISH_OK / REQUEST_OK), exceptionally when it refuses; the track's groups then go
     * to the peer and its end ends the publication. Must run on the event loop. Families without it
     * (moq-lite) complete exceptionally with {@link UnsupportedOperationException}.
     */
    default CompletableFuture<Void> publishTrack(String path, Track track) {
        return CompletableFuture.failedFuture(
                new UnsupportedOperationException("publisher-initiated PUBLISH is not part of this protocol"));
    }
}
