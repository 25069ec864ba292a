package dev.jmoq.wire.ietf;

import java.util.ArrayList;
import java.util.List;

/**
 * Draft 14 carried as fixed fields what later drafts made parameters (priority, group order,
 * forward, filter, expires, largest location). The records hold them as parameters on every draft;
 * these helpers split them off for draft 14's inline layout and merge them back when decoding.
 */
final class Inline {
    private Inline() {
    }

    static long number(Parameters ps, long type, long dflt) {
        return ps.number(type).orElse(dflt);
    }

    /** The parameters except those of {@code types}: what draft 14 sends as its parameter list. */
    static Parameters rest(Parameters ps, long... types) {
        List<Parameter> out = new ArrayList<>(ps.size());
        outer:
        for (Parameter p : ps.list()) {
            for (long t : types) {
                if (p.type() == t) {
                    continue outer;
                }
            }
            out.add(p);
        }
        return new Parameters(out);
    }

    /** {@code inline} followed by {@code wire}. */
    static Parameters merge(List<Parameter> inline, Parameters wire) {
        List<Parameter> out = new ArrayList<>(inline.size() + wire.size());
        out.addAll(inline);
        out.addAll(wire.list());
        return new Parameters(out);
    }
}
