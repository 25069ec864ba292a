package dev.jmoq.relay.config;

/**
 * A listen address {@code host:port} ({@code [::1]:9090} for IPv6). Immutable.
 *
 * @param host address without brackets
 * @param port 0..65535
 */
public record HostPort(String host, int port) {
    static final ValueType<String> TYPE = new ValueType<>() {
        @Override
        public String parse(Object raw) throws InvalidValue {
            if (!(raw instanceof String s)) {
                throw new InvalidValue("not a string");
            }
            HostPort hp = HostPort.parse(s.strip());
            return format(hp.host, hp.port);
        }

        @Override
        public String allowed() {
            return "host:port such as \"127.0.0.1:9090\" or \"[::1]:9090\" (port 0..65535)";
        }

        @Override
        public String toToml(String value) {
            return ValueType.quote(value);
        }
    };

    public static HostPort parse(String s) throws InvalidValue {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new InvalidValue("not host:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new InvalidValue("an IPv6 address needs brackets: [::1]:9090");
        }
        if (host.isEmpty()) {
            throw new InvalidValue("empty host");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidValue("port is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidValue("port out of range");
        }
        return new HostPort(host, port);
    }

    static HostPort parseUnchecked(String s) {
        try {
            return parse(s);
        } catch (InvalidValue e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    public static String format(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
