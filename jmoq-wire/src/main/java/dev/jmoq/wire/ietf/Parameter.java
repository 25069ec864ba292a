package dev.jmoq.wire.ietf;

import java.util.Objects;

/**
 * One message parameter or setup option: a type and a typed value. Which value form a type takes
 * on the wire in a draft is {@link ParameterForm#of}'s decision; the records only hold values.
 */
public sealed interface Parameter {
    /** The parameter / option type (codepoint). */
    long type();

    /** An integer value: a varint, or a uint8 for the types the draft defines so (draft 17+). */
    record Int(long type, long value) implements Parameter {
    }

    /** A length-prefixed byte value (tokens, PATH, AUTHORITY, unknown odd KVPs, range filters). */
    record Raw(long type, Octets value) implements Parameter {
        public Raw {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A Location value (LARGEST_OBJECT). */
    record At(long type, Location value) implements Parameter {
        public At {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A Track Namespace value (TRACK_NAMESPACE_PREFIX, draft 18+). */
    record Prefix(long type, TrackNamespace value) implements Parameter {
        public Prefix {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A Location Filter value (LOCATION_FILTER / SUBSCRIPTION_FILTER, and draft 14's inline filter). */
    record Filter(long type, SubscriptionFilter value) implements Parameter {
        public Filter {
            Objects.requireNonNull(value, "value");
        }
    }
}
