package dev.jmoq.wire.lite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Representative messages, the same values capture.mjs encodes with the JS clients. Each sample
 * is what a draft can carry: fields a draft lacks are left at their decoded defaults.
 */
final class Samples {
    private Samples() {
    }

    static final OptionalLong NONE = OptionalLong.empty();

    static List<SetupParameter> jsSetupParameters() {
        return List.of(SetupParameter.ofVarint(SetupParameter.MAX_REQUEST_ID, 42069),
                SetupParameter.ofBytes(SetupParameter.IMPLEMENTATION, "moq-lite-js".getBytes(StandardCharsets.UTF_8)));
    }

    static List<Long> announceHops(LiteVersion v) {
        return switch (v.hopEncoding()) {
            case NONE -> List.of();
            case COUNT -> List.of(0L, 0L);
            case IDS -> List.of(1L, 70000L);
        };
    }

    /** One sample of every message family, as draft {@code v} carries it; skips those absent from v. */
    static List<LiteMessage> all(LiteVersion v) {
        List<LiteMessage> m = new ArrayList<>();
        m.add(new ClientSetup(List.of(0xff0dad02L, 0xff0dad01L, 0xff00000eL), jsSetupParameters()));
        m.add(new ServerSetup(v.code(), jsSetupParameters()));
        m.add(new SessionClient(List.of(0xff0dad02L, 0xff0dad01L), List.of(new LiteParameter(2, new byte[] {1, 2, 3}))));
        m.add(new SessionServer(v.code(), List.of()));
        m.add(new SessionInfo(1_500_000));
        m.add(Setup.of(Setup.PROBE_INCREASE, "room/alice?jwt=abc", Setup.ROLE_SUBSCRIBER, 0));
        m.add(Setup.of(Setup.PROBE_REPORT, null, Setup.ROLE_BOTH, 19088743));
        m.add(new AnnouncePlease("room/sub", v.hasExcludeHop() ? 123456789 : 0));
        m.add(new Announce(true, "alice", announceHops(v)));
        m.add(new Announce(false, "bob", List.of()));
        m.add(new AnnounceInit(List.of("a", "b/c", "ünï")));
        m.add(new AnnounceOk(987654321, 3));
        m.add(v.hasSubscribeRange()
                ? new Subscribe(7, "room/alice", "video", 200, true, 1500, OptionalLong.of(0), NONE)
                : Subscribe.basic(7, "room/alice", "video", 200));
        m.add(Subscribe.basic(1L << 40, "b", "", 0));
        m.add(v.hasSubscribeRange()
                ? new SubscribeUpdate(255, true, 20000, OptionalLong.of(100), OptionalLong.of(200))
                : SubscribeUpdate.priorityOnly(255));
        m.add(switch (v.subscribeOkLayout()) {
            case PRIORITY -> SubscribeOk.ofPriority(5);
            case EMPTY, ABSENT -> SubscribeOk.ofPriority(0);
            case FULL -> new SubscribeOk(5, true, 250, OptionalLong.of(10), OptionalLong.of(20));
        });
        m.add(new SubscribeDrop(5, 7, 2));
        m.add(new SubscribeStart(1234));
        m.add(new SubscribeEnd(0));
        m.add(new Fetch("room/alice", "video", 1, 42));
        m.add(new Probe(2_500_000, v.hasProbeRtt() ? 33 : 0));
        m.add(new Goaway("https://relay.example/next"));
        m.add(new Track("room/alice", "video"));
        m.add(new TrackInfo(3, true, 5000, 90000));
        m.add(new GroupHeader(7, 1_000_000));
        return m;
    }

    /** The decoder for a message's family. */
    @SuppressWarnings("unchecked")
    static MessageDecoder<LiteMessage> decoderFor(LiteMessage m) {
        MessageDecoder<?> d = switch (m) {
            case ClientSetup x -> ClientSetup.DECODER;
            case ServerSetup x -> ServerSetup.DECODER;
            case SessionClient x -> SessionClient.DECODER;
            case SessionServer x -> SessionServer.DECODER;
            case SessionInfo x -> SessionInfo.DECODER;
            case Setup x -> Setup.DECODER;
            case AnnouncePlease x -> AnnouncePlease.DECODER;
            case Announce x -> Announce.DECODER;
            case AnnounceInit x -> AnnounceInit.DECODER;
            case AnnounceOk x -> AnnounceOk.DECODER;
            case Subscribe x -> Subscribe.DECODER;
            case SubscribeUpdate x -> SubscribeUpdate.DECODER;
            case SubscribeResponse x -> SubscribeResponse.DECODER;
            case Fetch x -> Fetch.DECODER;
            case Probe x -> Probe.DECODER;
            case Goaway x -> Goaway.DECODER;
            case Track x -> Track.DECODER;
            case TrackInfo x -> TrackInfo.DECODER;
            case GroupHeader x -> GroupHeader.DECODER;
        };
        return (MessageDecoder<LiteMessage>) d;
    }
}
