package dev.jmoq.wire.ietf;

/**
 * How a message parameter's value is encoded in a draft. Drafts 14-16 use Key-Value-Pairs (even
 * type: varint; odd type: length-prefixed bytes, of which LARGEST_OBJECT and the filter are parsed).
 * Draft 17+ uses Type-Value pairs whose encoding each type defines ("Message Parameters"), so an
 * unknown type cannot be skipped: {@link #of} returns null and the message is a PROTOCOL_VIOLATION.
 */
public enum ParameterForm {
    VARINT,
    UINT8,
    /** Length-prefixed bytes. */
    BYTES,
    /** Group and Object; length-prefixed where {@link IetfVersion#hasLengthPrefixedLocationParameter}. */
    LOCATION,
    /** A Track Namespace tuple, not length-prefixed. */
    NAMESPACE,
    /** A length-prefixed Location Filter. */
    FILTER,
    /** Draft 20: a uint8 behind a length (odd types are length-prefixed). */
    LENGTH_PREFIXED_UINT8;

    /** The form of message parameter {@code type} in draft {@code v}, or null when unknown (17+). */
    public static ParameterForm of(long type, IetfVersion v) {
        if (!v.hasTypedParameters()) {
            if (type == MessageParameter.LARGEST_OBJECT) {
                return LOCATION;
            }
            if (type == MessageParameter.LOCATION_FILTER && v.draft() >= 15) {
                return FILTER;
            }
            return (type & 1) == 0 ? VARINT : BYTES;
        }
        if (type == MessageParameter.DELIVERY_TIMEOUT || type == MessageParameter.RENDEZVOUS_TIMEOUT
                || type == MessageParameter.SUBGROUP_DELIVERY_TIMEOUT || type == MessageParameter.EXPIRES
                || type == MessageParameter.FILL_TIMEOUT || type == MessageParameter.NEW_GROUP_REQUEST
                || type == MessageParameter.ROUTE_COST) {
            return VARINT;
        }
        if (type == MessageParameter.FORWARD || type == MessageParameter.SUBSCRIBER_PRIORITY
                || type == MessageParameter.GROUP_ORDER || type == MessageParameter.PUBLISHER_PRIORITY) {
            return UINT8;
        }
        if (type == MessageParameter.INCLUDE_PROPERTIES && v.hasLengthPrefixedOddParameters()) {
            return LENGTH_PREFIXED_UINT8;
        }
        if (type == MessageParameter.LARGEST_OBJECT) {
            return LOCATION;
        }
        if (type == MessageParameter.LOCATION_FILTER) {
            return FILTER;
        }
        if (type == MessageParameter.TRACK_NAMESPACE_PREFIX && v.draft() >= 18) {
            return NAMESPACE;
        }
        if (type == MessageParameter.AUTHORIZATION_TOKEN || type == MessageParameter.HOP_PATH
                || (type == MessageParameter.FILL_PARAMETERS && v.draft() >= 20)
                || (type >= MessageParameter.SUBGROUP_FILTER && type <= MessageParameter.TRACK_PROPERTY_FILTER
                        && v.draft() >= 19)) {
            return BYTES;
        }
        return null;
    }
}
