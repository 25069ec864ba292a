package dev.jmoq.transport;

/** The transports a {@link MoqConnection} can run over; the label is used in logs and metrics. */
public enum TransportKind {
    QUIC("quic"),
    WEBTRANSPORT("webtransport"),
    WEBSOCKET("websocket");

    private final String label;

    TransportKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
