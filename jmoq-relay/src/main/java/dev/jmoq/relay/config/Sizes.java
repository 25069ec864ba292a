package dev.jmoq.relay.config;

import java.util.Locale;

/**
 * Byte sizes: a plain number of bytes, or a number with a unit: B, KiB, MiB, GiB, TiB (powers of 1024) or
 * KB, MB, GB, TB (powers of 1000); units are case-insensitive, a space between number and unit is allowed.
 * Stateless.
 */
public final class Sizes {
    private Sizes() {
    }

    public static long parse(String text) throws InvalidValue {
        String s = text.strip();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new InvalidValue("not a size: \"" + text + "\"");
        }
        long n;
        try {
            n = Long.parseLong(s, 0, i, 10);
        } catch (NumberFormatException e) {
            throw new InvalidValue("size out of range: \"" + text + "\"");
        }
        String unit = s.substring(i).strip().toLowerCase(Locale.ROOT);
        long multiplier = switch (unit) {
            case "", "b" -> 1L;
            case "kib", "k" -> 1L << 10;
            case "mib", "m" -> 1L << 20;
            case "gib", "g" -> 1L << 30;
            case "tib", "t" -> 1L << 40;
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            default -> throw new InvalidValue("unknown size unit \"" + s.substring(i).strip() + "\" in \"" + text
                    + "\" (use B, KiB, MiB, GiB, TiB, KB, MB, GB or TB)");
        };
        try {
            return Math.multiplyExact(n, multiplier);
        } catch (ArithmeticException e) {
            throw new InvalidValue("size out of range: \"" + text + "\"");
        }
    }

    /** The largest binary unit that divides exactly: {@code 512MiB}, {@code 64KiB}, {@code 1000B}. */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return (bytes / unit) + units[i];
            }
        }
        return bytes + "B";
    }
}
