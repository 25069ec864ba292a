package dev.jmoq.relay.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How one option's value is read (from a TOML value or from an environment or flag string), what values
 * are allowed (for error messages and docs) and how it is written back as TOML. Immutable; thread-safe.
 *
 * <p>A raw value is a {@link String} (environment variables and flags, and TOML strings), a {@link Long},
 * {@link BigInteger}, {@link Double} or {@link BigDecimal} (TOML numbers), a {@link Boolean} or a
 * {@link List} of raw values (TOML arrays).
 *
 * @param <T> the parsed type; options that may be unset parse the empty string to null
 */
public interface ValueType<T> {
    T parse(Object raw) throws InvalidValue;

    /** What is allowed, for messages: {@code "an integer 0..65535"}. */
    String allowed();

    /** The TOML form of {@code value} (never called with null). */
    String toToml(T value);

    static ValueType<Integer> integer(int min, int max) {
        return new ValueType<>() {
            @Override
            public Integer parse(Object raw) throws InvalidValue {
                long v = integral(raw, this);
                if (v < min || v > max) {
                    throw new InvalidValue("out of range");
                }
                return (int) v;
            }

            @Override
            public String allowed() {
                return "an integer " + min + ".." + max;
            }

            @Override
            public String toToml(Integer value) {
                return value.toString();
            }
        };
    }

    static ValueType<Double> decimal(double min, double max) {
        return new ValueType<>() {
            @Override
            public Double parse(Object raw) throws InvalidValue {
                double v;
                if (raw instanceof Number n) {
                    v = n.doubleValue();
                } else if (raw instanceof String s) {
                    try {
                        v = Double.parseDouble(s.strip());
                    } catch (NumberFormatException e) {
                        throw new InvalidValue("not a number");
                    }
                } else {
                    throw new InvalidValue("not a number");
                }
                if (!(v >= min && v <= max)) {
                    throw new InvalidValue("out of range");
                }
                return v;
            }

            @Override
            public String allowed() {
                return "a number " + fmt(min) + ".." + fmt(max);
            }

            @Override
            public String toToml(Double value) {
                return value == Math.rint(value) ? Long.toString(value.longValue()) : value.toString();
            }

            private static String fmt(double d) {
                return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
            }
        };
    }

    /** A byte size: an integer number of bytes or a string such as {@code "512MiB"}. */
    static ValueType<Long> size(long min, long max) {
        return new ValueType<>() {
            @Override
            public Long parse(Object raw) throws InvalidValue {
                long v;
                if (raw instanceof String s) {
                    v = Sizes.parse(s);
                } else {
                    v = integral(raw, this);
                }
                if (v < min || v > max) {
                    throw new InvalidValue("out of range");
                }
                return v;
            }

            @Override
            public String allowed() {
                return "a size " + Sizes.format(min) + ".." + Sizes.format(max)
                        + " (bytes, or a string such as \"64KiB\", \"512MiB\", \"1GB\")";
            }

            @Override
            public String toToml(Long value) {
                return quote(Sizes.format(value));
            }
        };
    }

    static ValueType<Duration> duration(Duration min, Duration max) {
        return new ValueType<>() {
            @Override
            public Duration parse(Object raw) throws InvalidValue {
                if (!(raw instanceof String s)) {
                    throw new InvalidValue("a duration must be a string with a unit");
                }
                Duration d = Durations.parse(s);
                if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                    throw new InvalidValue("out of range");
                }
                return d;
            }

            @Override
            public String allowed() {
                return "a duration " + Durations.format(min) + ".." + Durations.format(max)
                        + " (such as \"250ms\", \"5s\", \"1m30s\")";
            }

            @Override
            public String toToml(Duration value) {
                return quote(Durations.format(value));
            }
        };
    }

    static ValueType<Boolean> bool() {
        return new ValueType<>() {
            @Override
            public Boolean parse(Object raw) throws InvalidValue {
                if (raw instanceof Boolean b) {
                    return b;
                }
                if (raw instanceof String s) {
                    switch (s.strip().toLowerCase(Locale.ROOT)) {
                        case "true":
                            return true;
                        case "false":
                            return false;
                        default:
                            break;
                    }
                }
                throw new InvalidValue("not a boolean");
            }

            @Override
            public String allowed() {
                return "true or false";
            }

            @Override
            public String toToml(Boolean value) {
                return value.toString();
            }
        };
    }

    /** A non-empty string. */
    static ValueType<String> text() {
        return new ValueType<>() {
            @Override
            public String parse(Object raw) throws InvalidValue {
                if (!(raw instanceof String s) || s.isBlank()) {
                    throw new InvalidValue("not a non-empty string");
                }
                return s.strip();
            }

            @Override
            public String allowed() {
                return "a non-empty string";
            }

            @Override
            public String toToml(String value) {
                return quote(value);
            }
        };
    }

    /** Any string; the empty string means unset (null). */
    static ValueType<String> optionalText() {
        return new ValueType<>() {
            @Override
            public String parse(Object raw) throws InvalidValue {
                if (!(raw instanceof String s)) {
                    throw new InvalidValue("not a string");
                }
                return s.isBlank() ? null : s.strip();
            }

            @Override
            public String allowed() {
                return "a string, or \"\" for none";
            }

            @Override
            public String toToml(String value) {
                return quote(value);
            }
        };
    }

    /** A file path; the empty string means unset (null). */
    static ValueType<Path> optionalPath() {
        return new ValueType<>() {
            @Override
            public Path parse(Object raw) throws InvalidValue {
                if (!(raw instanceof String s)) {
                    throw new InvalidValue("not a string");
                }
                if (s.isBlank()) {
                    return null;
                }
                try {
                    return Path.of(s.strip());
                } catch (RuntimeException e) {
                    throw new InvalidValue("not a valid path");
                }
            }

            @Override
            public String allowed() {
                return "a file path, or \"\" for none";
            }

            @Override
            public String toToml(Path value) {
                return quote(value.toString());
            }
        };
    }

    /** An absolute URI; the empty string means unset (null). */
    static ValueType<URI> optionalUri() {
        return new ValueType<>() {
            @Override
            public URI parse(Object raw) throws InvalidValue {
                if (!(raw instanceof String s)) {
                    throw new InvalidValue("not a string");
                }
                if (s.isBlank()) {
                    return null;
                }
                try {
                    URI uri = new URI(s.strip());
                    if (!uri.isAbsolute() || uri.getHost() == null) {
                        throw new InvalidValue("not an absolute URI with a host");
                    }
                    return uri;
                } catch (URISyntaxException e) {
                    throw new InvalidValue("not a URI");
                }
            }

            @Override
            public String allowed() {
                return "an absolute URI such as \"https://relay2.example.com:4443/\", or \"\" for none";
            }

            @Override
            public String toToml(URI value) {
                return quote(value.toString());
            }
        };
    }

    /**
     * A list of strings: a TOML array, or a comma-separated string (environment variables and flags).
     * Each element is checked by {@code element}, which returns an error text or null.
     */
    static ValueType<List<String>> list(String allowed, boolean mayBeEmpty, Function<String, String> element) {
        return new ValueType<>() {
            @Override
            public List<String> parse(Object raw) throws InvalidValue {
                List<String> out = new ArrayList<>();
                if (raw instanceof String s) {
                    for (String part : s.split(",")) {
                        if (!part.isBlank()) {
                            out.add(part.strip());
                        }
                    }
                } else if (raw instanceof List<?> l) {
                    for (Object o : l) {
                        if (!(o instanceof String s)) {
                            throw new InvalidValue("not a list of strings");
                        }
                        out.add(s.strip());
                    }
                } else {
                    throw new InvalidValue("not a list of strings");
                }
                if (!mayBeEmpty && out.isEmpty()) {
                    throw new InvalidValue("must not be empty");
                }
                for (String s : out) {
                    String error = element.apply(s);
                    if (error != null) {
                        throw new InvalidValue(error);
                    }
                }
                return List.copyOf(out);
            }

            @Override
            public String allowed() {
                return allowed;
            }

            @Override
            public String toToml(List<String> value) {
                List<String> quoted = new ArrayList<>();
                for (String s : value) {
                    quoted.add(quote(s));
                }
                return "[" + String.join(", ", quoted) + "]";
            }
        };
    }

    /** A TOML basic string with the needed escapes. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static long integral(Object raw, ValueType<?> type) throws InvalidValue {
        if (raw instanceof Long l) {
            return l;
        }
        if (raw instanceof Integer i) {
            return i;
        }
        if (raw instanceof BigInteger) {
            throw new InvalidValue("out of range");
        }
        if (raw instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw new InvalidValue("not an integer");
            }
        }
        throw new InvalidValue("not an integer");
    }
}
