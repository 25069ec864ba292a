package dev.jmoq.relay.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamsTest {
    private static String content(EmbeddedChannel ch) {
        HttpContent c = ch.readOutbound();
        try {
            return c.content().toString(StandardCharsets.UTF_8);
        } finally {
            c.release();
        }
    }

    @Test
    void formatsOneDataLinePerLine() {
        assertEquals("event: state\ndata: {\"a\":1}\n\n", new String(EventStreams.format("state", "{\"a\":1}"), StandardCharsets.UTF_8));
        assertEquals("event: x\ndata: a\ndata: b\n\n", new String(EventStreams.format("x", "a\nb"), StandardCharsets.UTF_8));
    }

    @Test
    void opensAStreamSendsEventsAndForgetsClosedClients() {
        EventStreams streams = new EventStreams();
        EmbeddedChannel ch = new EmbeddedChannel();
        assertTrue(streams.open(ch, HttpVersion.HTTP_1_1, EventStreams.format("history", "[]")));
        HttpResponse res = ch.readOutbound();
        assertEquals("text/event-stream; charset=utf-8", res.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("no-store", res.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertTrue(HttpUtil.isTransferEncodingChunked(res));
        assertEquals("event: history\ndata: []\n\n", content(ch));
        streams.send("state", "{}");
        ch.runPendingTasks();
        assertEquals("event: state\ndata: {}\n\n", content(ch));
        assertEquals(1, streams.clients());
        ch.close();
        assertEquals(0, streams.clients());
        streams.send("state", "{}");
        assertNull(ch.readOutbound());
    }

    @Test
    void refusesClientsBeyondTheCap() {
        EventStreams streams = new EventStreams();
        List<EmbeddedChannel> open = new ArrayList<>();
        for (int i = 0; i < EventStreams.MAX_CLIENTS; i++) {
            EmbeddedChannel ch = new EmbeddedChannel();
            assertTrue(streams.open(ch, HttpVersion.HTTP_1_1, new byte[0]));
            open.add(ch);
        }
        EmbeddedChannel extra = new EmbeddedChannel();
        assertFalse(streams.open(extra, HttpVersion.HTTP_1_1, new byte[0]));
        assertNull(extra.readOutbound());
        streams.closeAll();
        for (EmbeddedChannel ch : open) {
            assertFalse(ch.isOpen());
            ch.finishAndReleaseAll();
        }
        extra.finishAndReleaseAll();
    }
}
