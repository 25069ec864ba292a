package dev.jmoq.wire.ietf;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A Track Namespace: an ordered tuple of 0..{@value IetfLimits#MAX_NAMESPACE_FIELDS} byte fields
 * (draft 14+ "Track Names"). A namespace prefix or suffix has the same shape.
 */
public record TrackNamespace(List<Octets> fields) {
    public static final TrackNamespace EMPTY = new TrackNamespace(List.of());

    public TrackNamespace {
        fields = List.copyOf(fields);
        if (fields.size() > IetfLimits.MAX_NAMESPACE_FIELDS) {
            throw new IllegalArgumentException("namespace has " + fields.size() + " fields, at most "
                    + IetfLimits.MAX_NAMESPACE_FIELDS);
        }
    }

    /** A namespace of UTF-8 fields. */
    public static TrackNamespace of(String... fields) {
        return new TrackNamespace(java.util.Arrays.stream(fields).map(Octets::utf8).toList());
    }

    /** The fields joined by '/', as text (for logs and path mapping). */
    @Override
    public String toString() {
        return fields.stream().map(Octets::toString).collect(Collectors.joining("/"));
    }
}
