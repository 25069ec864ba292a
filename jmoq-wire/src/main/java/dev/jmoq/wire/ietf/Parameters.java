package dev.jmoq.wire.ietf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The ordered parameters (or setup options) of one message, as received or to be sent. Drafts 16+
 * delta-encode the types, so a list to be sent on those drafts must be in ascending type order.
 */
public record Parameters(List<Parameter> list) {
    public static final Parameters EMPTY = new Parameters(List.of());

    public Parameters {
        list = List.copyOf(list);
    }

    public static Parameters of(Parameter... ps) {
        return new Parameters(List.of(ps));
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public int size() {
        return list.size();
    }

    /** The first parameter of this type, if any. */
    public Optional<Parameter> find(long type) {
        for (Parameter p : list) {
            if (p.type() == type) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The integer value of this type, if present as an integer. */
    public OptionalLong number(long type) {
        return find(type).filter(p -> p instanceof Parameter.Int)
                .map(p -> OptionalLong.of(((Parameter.Int) p).value())).orElse(OptionalLong.empty());
    }

    /** The byte value of this type, if present as bytes. */
    public Optional<Octets> octets(long type) {
        return find(type).filter(p -> p instanceof Parameter.Raw).map(p -> ((Parameter.Raw) p).value());
    }

    /** The Location value of this type, if present. */
    public Optional<Location> location(long type) {
        return find(type).filter(p -> p instanceof Parameter.At).map(p -> ((Parameter.At) p).value());
    }

    /** The LOCATION_FILTER, if present. */
    public Optional<SubscriptionFilter> filter() {
        return find(MessageParameter.LOCATION_FILTER).filter(p -> p instanceof Parameter.Filter)
                .map(p -> ((Parameter.Filter) p).value());
    }

    /** These parameters without any of {@code type}, then {@code p} inserted in ascending type order. */
    public Parameters with(Parameter p) {
        List<Parameter> out = new ArrayList<>(list.size() + 1);
        boolean placed = false;
        for (Parameter q : list) {
            if (q.type() == p.type()) {
                continue;
            }
            if (!placed && Long.compareUnsigned(q.type(), p.type()) > 0) {
                out.add(p);
                placed = true;
            }
            out.add(q);
        }
        if (!placed) {
            out.add(p);
        }
        return new Parameters(out);
    }

    /** These parameters without {@code type}. */
    public Parameters without(long type) {
        return new Parameters(list.stream().filter(p -> p.type() != type).toList());
    }
}
