package dev.jmoq.cli.interop;

import java.util.Optional;

/**
 * The runner's test cases by identifier, in the runner's order, with each one's timeout
 * (englishm/moq-interop-runner docs/tests/TEST-CASES.md; the two candidates last).
 */
public enum InteropCase {
    SETUP_ONLY("setup-only", 2_000),
    ANNOUNCE_ONLY("announce-only", 2_000),
    PUBLISH_NAMESPACE_DONE("publish-namespace-done", 2_000),
    SUBSCRIBE_ERROR("subscribe-error", 2_000),
    ANNOUNCE_SUBSCRIBE("announce-subscribe", 3_000),
    SUBSCRIBE_BEFORE_ANNOUNCE("subscribe-before-announce", 3_500),
    PUBLISH_TRACK_ONLY("publish-track-only", 10_000),
    PUBLISH_TRACK_SUBSCRIBE("publish-track-subscribe", 10_000),
    DATA_SUBGROUP_BASIC("data-subgroup-basic", 5_000),
    SUBSCRIBE_NAMESPACE_LIFECYCLE("subscribe-namespace-lifecycle", 5_000);

    private final String id;
    private final long timeoutMillis;

    InteropCase(String id, long timeoutMillis) {
        this.id = id;
        this.timeoutMillis = timeoutMillis;
    }

    /** The identifier the runner uses (TESTCASE, {@code --test}, TAP test point names). */
    public String id() {
        return id;
    }

    /** The case's whole time budget, milliseconds (the spec's timeout; the candidates: 5 s). */
    public long timeoutMillis() {
        return timeoutMillis;
    }

    public static Optional<InteropCase> byId(String id) {
        for (InteropCase c : values()) {
            if (c.id.equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
