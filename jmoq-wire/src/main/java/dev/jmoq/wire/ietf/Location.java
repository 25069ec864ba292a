package dev.jmoq.wire.ietf;

/**
 * A Location: Group and Object (draft 14+ "Location Structure"), ordered by group then object. Both
 * are unsigned 64-bit values held in longs.
 */
public record Location(long group, long object) implements Comparable<Location> {
    public static final Location ZERO = new Location(0, 0);

    @Override
    public int compareTo(Location o) {
        int c = Long.compareUnsigned(group, o.group);
        return c != 0 ? c : Long.compareUnsigned(object, o.object);
    }
}
