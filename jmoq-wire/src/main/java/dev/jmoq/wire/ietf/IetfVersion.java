package dev.jmoq.wire.ietf;

/**
 * The draft-ietf-moq-transport drafts this codec speaks, and everything that differs between them.
 *
 * <p>Message codecs ask these feature methods rather than comparing versions, so a draft's
 * differences live in this one table. Immutable and thread-safe.
 *
 * <p>Negotiation: draft 14 is reached through ALPN {@value #ALPN_DRAFT_14} with the version list in
 * CLIENT_SETUP and the choice in SERVER_SETUP; drafts 15 and later through the ALPN (or
 * WebTransport / WebSocket subprotocol) {@code moqt-NN} alone. {@code moqt-21} and {@code moqt-22}
 * select {@link #DRAFT_20}: both are wire-identical to it. Sources: each draft's "Version
 * Negotiation" and "Control Messages" sections, and the Change Log of the editor's copy.
 */
public enum IetfVersion {
    DRAFT_14(14),
    DRAFT_15(15),
    DRAFT_16(16),
    DRAFT_17(17),
    DRAFT_18(18),
    DRAFT_19(19),
    DRAFT_20(20);

    /** The ALPN shared by drafts 11 to 14; the version is then chosen in CLIENT_SETUP / SERVER_SETUP. */
    public static final String ALPN_DRAFT_14 = "moq-00";

    private final int draft;

    IetfVersion(int draft) {
        this.draft = draft;
    }

    /** The draft number, 14 to 20. */
    public int draft() {
        return draft;
    }

    /** The version number of the draft, {@code 0xff000000 + draft} (carried in SETUP on draft 14). */
    public long code() {
        return 0xff00_0000L + draft;
    }

    /** The ALPN / subprotocol this codec offers for the draft: {@code moq-00} or {@code moqt-NN}. */
    public String alpn() {
        return draft == 14 ? ALPN_DRAFT_14 : "moqt-" + draft;
    }

    /**
     * The draft a protocol string selects, or null. {@code moq-00} returns null: it selects no draft by
     * itself (see {@link #negotiatesInSetup}). {@code moqt-21} and {@code moqt-22} select draft 20.
     */
    public static IetfVersion fromAlpn(String protocol) {
        if (protocol == null || !protocol.startsWith("moqt-") || protocol.length() != 7) {
            return null;
        }
        return switch (protocol.substring(5)) {
            case "15" -> DRAFT_15;
            case "16" -> DRAFT_16;
            case "17" -> DRAFT_17;
            case "18" -> DRAFT_18;
            case "19" -> DRAFT_19;
            case "20", "21", "22" -> DRAFT_20;
            default -> null;
        };
    }

    /** True for {@value #ALPN_DRAFT_14}: the draft is picked from CLIENT_SETUP's version list. */
    public static boolean negotiatesInSetup(String protocol) {
        return ALPN_DRAFT_14.equals(protocol);
    }

    /** The draft with this version code (only draft 14 is chosen in SETUP), or null. */
    public static IetfVersion fromCode(long code) {
        for (IetfVersion v : values()) {
            if (v.code() == code) {
                return v;
            }
        }
        return null;
    }

    private boolean atLeast(int d) {
        return draft >= d;
    }

    // ---- Session shape ----

    /** Draft 14: CLIENT_SETUP carries the offered versions and SERVER_SETUP the chosen one. */
    public boolean hasSetupVersions() {
        return draft == 14;
    }

    /**
     * Drafts 14-16: one bidirectional control stream opened by the client, CLIENT_SETUP (0x20) and
     * SERVER_SETUP (0x21), every message on it. Draft 17+: each peer opens one unidirectional control
     * stream starting with SETUP (0x2F00), and every request runs on its own bidirectional stream.
     */
    public boolean hasRequestStreams() {
        return atLeast(17);
    }

    /** The new MoQT variable-length integer (leading ones, 1-9 bytes), draft 17+; RFC 9000 before. */
    public IetfVarInt varint() {
        return draft < 17 ? IetfVarInt.QUIC : draft == 17 ? IetfVarInt.MOQT_17 : IetfVarInt.MOQT;
    }

    /** Drafts 14-16: responses and follow-ups name their request by Request ID (streams do from 17). */
    public boolean hasRequestIdInResponses() {
        return !atLeast(17);
    }

    /** Drafts 14-16: MAX_REQUEST_ID (0x15) and REQUESTS_BLOCKED (0x1A) bound the peer's requests. */
    public boolean hasRequestFlowControl() {
        return !atLeast(17);
    }

    /** Draft 17 only: requests carry a Required Request ID Delta after the Request ID. */
    public boolean hasRequiredRequestIdDelta() {
        return draft == 17;
    }

    /** Draft 15+: one REQUEST_OK (0x7) and one REQUEST_ERROR (0x5) answer every request. */
    public boolean hasUnifiedResponses() {
        return atLeast(15);
    }

    /**
     * Draft 16+: REQUEST_UPDATE is answered with REQUEST_OK or REQUEST_ERROR ("REQUEST_UPDATE"); drafts 14
     * and 15's SUBSCRIBE_UPDATE has no answer (a failure is PUBLISH_DONE UPDATE_FAILED).
     */
    public boolean hasRequestUpdateAnswer() {
        return atLeast(16);
    }

    /** Draft 17+: SUBSCRIBE's parameter 0x04 is RENDEZVOUS_TIMEOUT (MAX_CACHE_DURATION before). */
    public boolean hasRendezvousTimeout() {
        return atLeast(17);
    }

    /** Drafts 14-16: FETCH_CANCEL and PUBLISH_NAMESPACE_CANCEL exist (17+ cancels by stream reset). */
    public boolean hasCancelMessages() {
        return !atLeast(17);
    }

    /** Drafts 14 and 15: PUBLISH_NAMESPACE_DONE names the namespace; 16 uses the Request ID; 17+ the FIN. */
    public boolean hasPublishNamespaceDoneByNamespace() {
        return draft <= 15;
    }

    /** Drafts 14 and 15: PUBLISH_NAMESPACE_CANCEL names the namespace; 16 the Request ID. */
    public boolean hasPublishNamespaceCancelByNamespace() {
        return draft <= 15;
    }

    /** Drafts 14-16: PUBLISH_NAMESPACE_DONE and UNSUBSCRIBE exist as messages (17+: stream FIN). */
    public boolean hasDoneMessages() {
        return !atLeast(17);
    }

    /**
     * Drafts 14 and 15: UNSUBSCRIBE_NAMESPACE (0x14) exists (16+ closes the SUBSCRIBE_NAMESPACE stream).
     */
    public boolean hasUnsubscribeNamespace() {
        return draft <= 15;
    }

    /** Draft 15: UNSUBSCRIBE_NAMESPACE names the request by Request ID (draft 14: by prefix). */
    public boolean hasUnsubscribeNamespaceByRequestId() {
        return draft >= 15;
    }

    /**
     * Draft 16+: SUBSCRIBE_NAMESPACE runs on its own bidirectional stream (the first request to do so,
     * a year before every request did), answered there by REQUEST_OK and NAMESPACE / NAMESPACE_DONE.
     */
    public boolean hasNamespaceMessages() {
        return atLeast(16);
    }

    /** Drafts 16 and 17: SUBSCRIBE_NAMESPACE carries Subscribe Options (namespaces, tracks or both). */
    public boolean hasSubscribeOptions() {
        return draft == 16 || draft == 17;
    }

    /** Draft 18+: SUBSCRIBE_NAMESPACE (0x50) and SUBSCRIBE_TRACKS (0x51) are separate requests. */
    public boolean hasSubscribeTracks() {
        return atLeast(18);
    }

    /** The message type of SUBSCRIBE_NAMESPACE: 0x11 before draft 18, 0x50 from it. */
    public long subscribeNamespaceType() {
        return atLeast(18) ? 0x50 : 0x11;
    }

    /** Drafts 14-17: PUBLISH_OK exists (18+ answers PUBLISH with REQUEST_OK). */
    public boolean hasPublishOk() {
        return !atLeast(18);
    }

    /** Draft 20: PUBLISH_STATE_NOTIFY (0x22) exists. */
    public boolean hasPublishStateNotify() {
        return atLeast(20);
    }

    // ---- Parameters ----

    /** Draft 16+: parameter and option types are delta-encoded from the previous type. */
    public boolean hasDeltaParameters() {
        return atLeast(16);
    }

    /**
     * Draft 17+: message parameters are Type-Value pairs whose value encoding each type defines
     * (before: Key-Value-Pairs, even types a varint, odd types length-prefixed).
     */
    public boolean hasTypedParameters() {
        return atLeast(17);
    }

    /** Draft 17+: Setup Options run to the end of SETUP, with no count. */
    public boolean hasUncountedSetupOptions() {
        return atLeast(17);
    }

    /**
     * Whether a Location-valued message parameter (LARGEST_OBJECT) carries a length: yes on 14-16
     * (odd Key-Value-Pair), no on 17-19 (draft text: "is a Location"; moq-dev rs agrees), and yes
     * again on 20, where every odd type is length-prefixed (as {@code @moq/net} 0.3.4 sends it).
     */
    public boolean hasLengthPrefixedLocationParameter() {
        return draft <= 16 || draft >= 20;
    }

    /** Draft 20: a uint8 parameter with an odd type (INCLUDE_PROPERTIES 0x35) is length-prefixed too. */
    public boolean hasLengthPrefixedOddParameters() {
        return atLeast(20);
    }

    /** Draft 14: SUBSCRIBE, PUBLISH, FETCH and their answers carry priority, order, forward and filter inline. */
    public boolean hasInlineSubscriptionFields() {
        return draft == 14;
    }

    /** Draft 20: LOCATION_FILTER is up to four varints (StartGroup, StartObject, EndGroupDelta, EndObject). */
    public boolean hasLocationFilterFields() {
        return atLeast(20);
    }

    /** Draft 17+: the tagged filter's end group travels as a delta from the start group. */
    public boolean hasEndGroupDelta() {
        return atLeast(17);
    }

    /** Draft 16+: SUBSCRIBE_OK, PUBLISH and FETCH_OK end with Track Properties (Track Extensions on 16). */
    public boolean hasTrackProperties() {
        return atLeast(16);
    }

    /** Draft 18+: REQUEST_OK ends with Track Properties too. */
    public boolean hasRequestOkTrackProperties() {
        return atLeast(18);
    }

    /** Draft 16+: REQUEST_ERROR carries a Retry Interval. */
    public boolean hasRetryInterval() {
        return atLeast(16);
    }

    /** Draft 18+: REQUEST_ERROR with code REDIRECT carries a Redirect. */
    public boolean hasRedirect() {
        return atLeast(18);
    }

    /** Draft 17+: GOAWAY carries a Timeout (milliseconds). */
    public boolean hasGoawayTimeout() {
        return atLeast(17);
    }

    /** Draft 18 only: GOAWAY may end with an optional Request ID. */
    public boolean hasGoawayRequestId() {
        return draft == 18;
    }

    /** Draft 20: FETCH's standalone and joining forms lose their inline locations (they are parameters). */
    public boolean hasFetchRangeParameters() {
        return atLeast(20);
    }

    // ---- Data plane ----

    /** Draft 15+: subgroup headers may omit the priority (DEFAULT_PRIORITY bit 0x20). */
    public boolean hasDefaultPriority() {
        return atLeast(15);
    }

    /** Draft 15+: datagrams may omit the priority (DEFAULT_PRIORITY bit 0x08). */
    public boolean hasDatagramDefaultPriority() {
        return atLeast(15);
    }

    /** Draft 16+: fetch objects may be End of Non-Existent (0x8C) or Unknown (0x10C) Range markers. */
    public boolean hasEndOfRange() {
        return atLeast(16);
    }

    /** Draft 20: End of Timed-Out Range (0x20C). */
    public boolean hasTimedOutRange() {
        return atLeast(20);
    }

    /** Draft 15+: object-status datagrams may omit a zero Object ID (types 0x24/0x25). */
    public boolean hasStatusZeroObjectId() {
        return atLeast(15);
    }

    /** Draft 18+: SUBGROUP_HEADER's FIRST_OBJECT bit (0x40). */
    public boolean hasFirstObjectBit() {
        return atLeast(18);
    }

    /** Draft 15+: fetch objects start with Serialization Flags (a byte on 15, a varint from 16). */
    public boolean hasFetchSerializationFlags() {
        return atLeast(15);
    }

    /** Draft 16+: the Serialization Flags are a varint (End of Range values above 0xFF exist). */
    public boolean hasVarintSerializationFlags() {
        return atLeast(16);
    }

    /** Draft 18+: fetch objects carry Group ID and Object ID as deltas from the prior object. */
    public boolean hasFetchDeltas() {
        return atLeast(18);
    }

    /** Draft 18+: padding streams (0x132B3E28) and padding datagrams (0x132B3E29). */
    public boolean hasPadding() {
        return atLeast(18);
    }

    @Override
    public String toString() {
        return "moq-transport-" + draft;
    }
}
