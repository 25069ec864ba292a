package dev.jmoq.cli.interop;

/** A test case this client cannot run (reported as a TAP {@code SKIP}; exit code 127 when it was the only one asked). */
public final class Unsupported extends Exception {
    public Unsupported(String reason) {
        super(reason);
    }
}
