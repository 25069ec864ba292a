package dev.jmoq.wire.ietf;

/**
 * Message Parameter codepoints ("Message Parameters" registry; "Version Specific Parameters" on
 * draft 14). Some numbers changed meaning: 0x04 is MAX_CACHE_DURATION on 14-16 and
 * RENDEZVOUS_TIMEOUT from 17; 0x21 is SUBSCRIPTION_FILTER on 15-18 and LOCATION_FILTER from 19.
 * {@link ParameterForm#of} says how each is encoded in each draft.
 */
public final class MessageParameter {
    /** DELIVERY_TIMEOUT (14-17), OBJECT_DELIVERY_TIMEOUT (18+), milliseconds. */
    public static final long DELIVERY_TIMEOUT = 0x02;
    public static final long AUTHORIZATION_TOKEN = 0x03;
    /** MAX_CACHE_DURATION (14-16) / RENDEZVOUS_TIMEOUT (17+), milliseconds. */
    public static final long MAX_CACHE_DURATION = 0x04;
    public static final long RENDEZVOUS_TIMEOUT = 0x04;
    /** SUBGROUP_DELIVERY_TIMEOUT (18+). */
    public static final long SUBGROUP_DELIVERY_TIMEOUT = 0x06;
    /** EXPIRES (15+; draft 14 carries it inline in SUBSCRIBE_OK), milliseconds. */
    public static final long EXPIRES = 0x08;
    /** LARGEST_OBJECT (15+; inline in draft 14). */
    public static final long LARGEST_OBJECT = 0x09;
    /** FILL_TIMEOUT (18+). */
    public static final long FILL_TIMEOUT = 0x0A;
    /** PUBLISHER_PRIORITY (15 only; a Track Property from 16). */
    public static final long PUBLISHER_PRIORITY = 0x0E;
    /** FORWARD (15+; inline in draft 14), 0 or 1. */
    public static final long FORWARD = 0x10;
    /** SUBSCRIBER_PRIORITY (15+; inline in draft 14), 0..255. */
    public static final long SUBSCRIBER_PRIORITY = 0x20;
    /** SUBSCRIPTION_FILTER (15-18) / LOCATION_FILTER (19+; inline in draft 14). */
    public static final long LOCATION_FILTER = 0x21;
    /** GROUP_ORDER (15+; inline in draft 14): 0 = publisher's, 1 ascending, 2 descending. */
    public static final long GROUP_ORDER = 0x22;
    /** FILL_PARAMETERS (20). */
    public static final long FILL_PARAMETERS = 0x23;
    /** Range filters (19+). */
    public static final long SUBGROUP_FILTER = 0x25;
    public static final long OBJECTID_FILTER = 0x26;
    public static final long PRIORITY_FILTER = 0x27;
    public static final long OBJECT_PROPERTY_FILTER = 0x28;
    public static final long TRACK_PROPERTY_FILTER = 0x29;
    /** DYNAMIC_GROUPS (15 only). */
    public static final long DYNAMIC_GROUPS = 0x30;
    public static final long NEW_GROUP_REQUEST = 0x32;
    /** TRACK_NAMESPACE_PREFIX (18+), a Track Namespace. */
    public static final long TRACK_NAMESPACE_PREFIX = 0x34;
    /** INCLUDE_PROPERTIES (20), 0 or 1. */
    public static final long INCLUDE_PROPERTIES = 0x35;
    /** HOP_PATH and ROUTE_COST of the MoQ Cluster extension (moq-dev), bytes and varint. */
    public static final long HOP_PATH = 0x40b57;
    public static final long ROUTE_COST = 0x40b58;

    /**
     * Draft 14's inline fields, held as parameters of these types in the records so every draft has
     * one model: Content Exists + Largest Location map to {@link #LARGEST_OBJECT} (absent = no
     * content), Expires to {@link #EXPIRES}, and SUBSCRIBE_UPDATE's Start Location / End Group to a
     * {@link #LOCATION_FILTER} of kind ABSOLUTE_RANGE.
     */
    private MessageParameter() {
    }
}
