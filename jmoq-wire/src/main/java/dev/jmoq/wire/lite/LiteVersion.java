package dev.jmoq.wire.lite;

/**
 * The moq-lite drafts we speak, and everything that differs between them.
 *
 * <p>Message codecs ask these feature methods rather than comparing versions, so adding a draft
 * means filling in this table. Immutable and thread-safe.
 *
 * <p>Negotiation: drafts 03, 04 and 05 are chosen by ALPN (or WebTransport subprotocol) alone.
 * Drafts 01 and 02 have no ALPN of their own: the client connects with {@value #ALPN_LEGACY} (or
 * no protocol) and picks the draft with a CLIENT_SETUP / SERVER_SETUP exchange on a bidi stream.
 */
public enum LiteVersion {
    DRAFT_01(0xff0dad01L, null),
    DRAFT_02(0xff0dad02L, null),
    DRAFT_03(0xff0dad03L, "moq-lite-03"),
    DRAFT_04(0xff0dad04L, "moq-lite-04"),
    DRAFT_05(0xff0dad05L, "moq-lite-05");

    /** The protocol under which drafts 01 and 02 are negotiated in-band with SETUP. */
    public static final String ALPN_LEGACY = "moql";

    private final long code;
    private final String alpn;

    LiteVersion(long code, String alpn) {
        this.code = code;
        this.alpn = alpn;
    }

    /** The version number carried in SETUP messages, 0xff0dad0N. */
    public long code() {
        return code;
    }

    /** The ALPN / WebTransport protocol naming this draft, or null for drafts negotiated in SETUP. */
    public String alpn() {
        return alpn;
    }

    /** The draft a protocol string selects, or null (also for {@value #ALPN_LEGACY}, which selects none by itself). */
    public static LiteVersion fromAlpn(String protocol) {
        for (LiteVersion v : values()) {
            if (v.alpn != null && v.alpn.equals(protocol)) {
                return v;
            }
        }
        return null;
    }

    /** True when the protocol string means "negotiate draft 01 or 02 with SETUP": {@value #ALPN_LEGACY}, empty or null. */
    public static boolean negotiatesInSetup(String protocol) {
        return protocol == null || protocol.isEmpty() || ALPN_LEGACY.equals(protocol);
    }

    /** The draft with this SETUP version code, or null. */
    public static LiteVersion fromCode(long code) {
        for (LiteVersion v : values()) {
            if (v.code == code) {
                return v;
            }
        }
        return null;
    }

    private boolean atLeast(LiteVersion other) {
        return compareTo(other) >= 0;
    }

    /** Drafts 01/02: CLIENT_SETUP/SERVER_SETUP on a bidi stream that then carries SESSION_INFO. */
    public boolean hasLegacySetup() {
        return !atLeast(DRAFT_03);
    }

    /** Draft 05+: each side sends one SETUP on a unidirectional Setup stream. */
    public boolean hasSetupStream() {
        return atLeast(DRAFT_05);
    }

    /** Drafts 01/02: ANNOUNCE_INIT lists the initially active broadcasts. */
    public boolean hasAnnounceInit() {
        return !atLeast(DRAFT_03);
    }

    /** Draft 05+: announce streams begin with ANNOUNCE_OK (responder origin and initial count). */
    public boolean hasAnnounceOk() {
        return atLeast(DRAFT_05);
    }

    /** Draft 05+: an ANNOUNCE status of 2 (restart) is accepted and means active. */
    public boolean acceptsAnnounceRestart() {
        return atLeast(DRAFT_05);
    }

    /** Drafts 04 and 05 only: ANNOUNCE_PLEASE carries the subscriber's exclude-hop origin. */
    public boolean hasExcludeHop() {
        return this == DRAFT_04 || this == DRAFT_05;
    }

    /** How ANNOUNCE carries hops. */
    public HopEncoding hopEncoding() {
        return switch (this) {
            case DRAFT_01, DRAFT_02 -> HopEncoding.NONE;
            case DRAFT_03 -> HopEncoding.COUNT;
            default -> HopEncoding.IDS;
        };
    }

    /** Draft 03+: SUBSCRIBE and SUBSCRIBE_UPDATE carry ordered, max latency, start and end group. */
    public boolean hasSubscribeRange() {
        return atLeast(DRAFT_03);
    }

    /** Draft 03+: each subscribe-stream response is preceded by a type varint. */
    public boolean hasSubscribeResponseType() {
        return atLeast(DRAFT_03);
    }

    /** The layout of SUBSCRIBE_OK. */
    public SubscribeOkLayout subscribeOkLayout() {
        return switch (this) {
            case DRAFT_01 -> SubscribeOkLayout.PRIORITY;
            case DRAFT_02 -> SubscribeOkLayout.EMPTY;
            case DRAFT_03, DRAFT_04 -> SubscribeOkLayout.FULL;
            default -> SubscribeOkLayout.ABSENT;
        };
    }

    /**
     * The type varint of a subscribe-stream response, or -1 when this draft has no such response
     * (or, for OK on drafts 01/02, no type prefix at all).
     */
    public long subscribeResponseType(SubscribeResponse.Kind kind) {
        if (!hasSubscribeResponseType()) {
            return -1;
        }
        if (hasTrackStream()) {
            return switch (kind) {
                case START -> 0;
                case END -> 1;
                case DROP -> 2;
                case OK -> -1;
            };
        }
        return switch (kind) {
            case OK -> 0;
            case DROP -> 1;
            case START, END -> -1;
        };
    }

    /** Draft 03+: SUBSCRIBE_DROP exists. */
    public boolean hasSubscribeDrop() {
        return atLeast(DRAFT_03);
    }

    /** Draft 03+: the FETCH message exists (served as bare frames on draft 05). */
    public boolean hasFetch() {
        return atLeast(DRAFT_03);
    }

    /** Draft 03+: the PROBE stream exists. */
    public boolean hasProbe() {
        return atLeast(DRAFT_03);
    }

    /** Draft 04+: PROBE carries the RTT after the bitrate. */
    public boolean hasProbeRtt() {
        return atLeast(DRAFT_04);
    }

    /** Draft 04+: the GOAWAY stream exists. */
    public boolean hasGoaway() {
        return atLeast(DRAFT_04);
    }

    /**
     * Draft 05+: the TRACK stream with TRACK_INFO, SUBSCRIBE_START/END instead of SUBSCRIBE_OK,
     * and a zigzag-delta timestamp before every frame.
     */
    public boolean hasTrackStream() {
        return atLeast(DRAFT_05);
    }

    /** Draft 05+: each frame on a group or fetch stream is preceded by a zigzag-delta timestamp. */
    public boolean hasFrameTimestamps() {
        return hasTrackStream();
    }

    /** Draft 05+: single-frame groups may travel as QUIC datagrams. */
    public boolean hasDatagrams() {
        return atLeast(DRAFT_05);
    }

    /** Drafts 01/02: the setup stream then carries SESSION_INFO messages. */
    public boolean hasSessionInfo() {
        return hasLegacySetup();
    }

    @Override
    public String toString() {
        return "moq-lite-0" + (ordinal() + 1);
    }
}
