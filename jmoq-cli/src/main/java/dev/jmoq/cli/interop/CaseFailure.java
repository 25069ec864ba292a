package dev.jmoq.cli.interop;

/**
 * A test case did not meet its success criteria: what it expected and what it got instead, as the
 * runner's YAML diagnostics name them ({@code expected}, {@code received}).
 */
public final class CaseFailure extends Exception {
    private final String expected;
    private final String received;

    public CaseFailure(String expected, String received) {
        super("expected " + expected + ", received " + received);
        this.expected = expected;
        this.received = received;
    }

    public String expected() {
        return expected;
    }

    public String received() {
        return received;
    }
}
