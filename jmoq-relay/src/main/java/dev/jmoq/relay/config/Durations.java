package dev.jmoq.relay.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Human durations: one or more number-unit pairs ({@code 250ms}, {@code 5s}, {@code 1m30s}, {@code 2h},
 * {@code 1d}; units ns, us, ms, s, m, h, d), or ISO-8601 ({@code PT5S}). Stateless.
 */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text) throws InvalidValue {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new InvalidValue("empty duration");
        }
        if (s.startsWith("p")) {
            try {
                return Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw new InvalidValue("not a duration: \"" + text + "\"");
            }
        }
        Duration total = Duration.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new InvalidValue("not a duration: \"" + text + "\"");
            }
            long n;
            try {
                n = Long.parseLong(s, start, i, 10);
            } catch (NumberFormatException e) {
                throw new InvalidValue("duration out of range: \"" + text + "\"");
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            try {
                total = total.plus(switch (unit) {
                    case "ns" -> Duration.ofNanos(n);
                    case "us" -> Duration.ofNanos(Math.multiplyExact(n, 1000L));
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    case "" -> throw new InvalidValue("duration needs a unit (ms, s, m, h, d): \"" + text + "\"");
                    default -> throw new InvalidValue("unknown duration unit \"" + unit + "\" in \"" + text + "\"");
                });
            } catch (ArithmeticException e) {
                throw new InvalidValue("duration out of range: \"" + text + "\"");
            }
        }
        return total;
    }

    /** The shortest exact form: {@code 5s}, {@code 250ms}, {@code 1m30s}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long nanos = d.toNanosPart();
        StringBuilder b = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            b.append(days).append('d');
        }
        appendPart(b, d.toHoursPart(), "h");
        appendPart(b, d.toMinutesPart(), "m");
        appendPart(b, d.toSecondsPart(), "s");
        if (nanos % 1_000_000 == 0) {
            appendPart(b, nanos / 1_000_000, "ms");
        } else if (nanos % 1000 == 0) {
            appendPart(b, nanos / 1000, "us");
        } else {
            appendPart(b, nanos, "ns");
        }
        return b.toString();
    }

    private static void appendPart(StringBuilder b, long n, String unit) {
        if (n > 0) {
            b.append(n).append(unit);
        }
    }
}
