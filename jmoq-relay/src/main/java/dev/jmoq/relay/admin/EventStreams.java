package dev.jmoq.relay.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server-sent event streams ({@code text/event-stream}, HTML Living Standard §9.2) to the dashboards
 * following the relay: each HTTP response stays open and gets one event per {@link #send}. At most
 * {@link #MAX_CLIENTS} at once (a further one gets 503). A client whose connection is not writable misses
 * that event (counted in {@link #dropped()}) instead of queueing it: a dashboard only needs the newest state,
 * and the relay's memory must not grow with a stalled browser.
 *
 * <p>Thread-safe: clients are added from their event loops, events sent from the ticker thread; Netty
 * moves each write onto its channel's loop. Each write gets its own buffer (wrapping a shared byte array).
 */
public final class EventStreams {
    /** Dashboards following at once. */
    public static final int MAX_CLIENTS = 32;

    private final Set<Channel> clients = ConcurrentHashMap.newKeySet();
    private final LongAdder dropped = new LongAdder();

    /**
     * Answers {@code channel}'s request with an open event stream and first sends it {@code initial} (already
     * formatted events); false (nothing written) when {@link #MAX_CLIENTS} are following.
     */
    public boolean open(Channel channel, HttpVersion version, byte[] initial) {
        if (clients.size() >= MAX_CLIENTS) {
            return false;
        }
        clients.add(channel);
        channel.closeFuture().addListener(f -> clients.remove(channel));
        HttpResponse res = new DefaultHttpResponse(version, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        res.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setTransferEncodingChunked(res, true);
        channel.write(res);
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(initial)))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return true;
    }

    /** Sends one event to every client that can take it now. */
    public void send(String event, String data) {
        if (clients.isEmpty()) {
            return;
        }
        byte[] bytes = format(event, data);
        for (Channel c : clients) {
            if (!c.isActive()) {
                clients.remove(c);
            } else if (!c.isWritable()) {
                dropped.increment();
            } else {
                c.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)))
                        .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            }
        }
    }

    /** {@code event: NAME\ndata: LINE\n…\n\n}: one data line per line of {@code data}. */
    public static byte[] format(String event, String data) {
        StringBuilder b = new StringBuilder(data.length() + event.length() + 16);
        b.append("event: ").append(event).append('\n');
        for (String line : data.split("\n", -1)) {
            b.append("data: ").append(line).append('\n');
        }
        return b.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Clients following now. */
    public int clients() {
        return clients.size();
    }

    /** Events not sent because a client's connection was not writable. */
    public long dropped() {
        return dropped.sum();
    }

    /** Closes every stream. */
    public void closeAll() {
        for (Channel c : clients) {
            c.close();
        }
        clients.clear();
    }
}
