package dev.jmoq.core.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link MoqClient#close()} called on one of the client's own event loops (a session callback, a
 * {@code connect(...).thenAccept(...)} stage completed on the loop) must not wait for that loop to
 * terminate: the loop cannot end while its own thread is blocked in the wait.
 */
class MoqClientCloseOnLoopTest {
    @Test
    void closeOnItsOwnEventLoopShutsTheLoopsDown() throws Exception {
        MoqClient client = MoqClient.builder().insecure(true).build();
        EventLoopGroup group = client.eventLoops();
        CompletableFuture<Void> returned = new CompletableFuture<>();
        group.next().execute(() -> {
            try {
                client.close();
                returned.complete(null);
            } catch (Throwable t) {
                returned.completeExceptionally(t);
            }
        });
        // The positive signal: the group terminates (it never does while close() blocks its loop thread).
        assertTrue(group.terminationFuture().await(30, TimeUnit.SECONDS), "event loops never terminated");
        assertTrue(returned.isDone() && !returned.isCompletedExceptionally(), "close() did not return cleanly");
    }
}
