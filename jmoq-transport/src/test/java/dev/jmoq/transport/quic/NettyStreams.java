package dev.jmoq.transport.quic;

import io.netty.handler.codec.quic.QuicChannel;
import io.netty.util.collection.LongObjectMap;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;

/**
 * Test access to how many stream channels Netty's QUIC connection still holds (its private map
 * {@code QuicheQuicChannel.streams}, read by reflection on the connection's loop): Netty exposes no count,
 * and a stream left in that map stays reachable until the connection ends.
 */
public final class NettyStreams {
    private NettyStreams() {
    }

    /** The number of stream channels {@code connection} holds now. */
    public static int count(QuicChannel connection) {
        try {
            return connection.eventLoop().submit(() -> {
                Field f = connection.getClass().getDeclaredField("streams");
                f.setAccessible(true);
                return ((LongObjectMap<?>) f.get(connection)).size();
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("cannot read Netty's stream map", e);
        }
    }
}
