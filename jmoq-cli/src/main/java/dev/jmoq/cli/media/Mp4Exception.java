package dev.jmoq.cli.media;

/** Malformed or unsupported MP4 input, or a hang broadcast that cannot be written as MP4; the message says what and where. */
public final class Mp4Exception extends RuntimeException {
    public Mp4Exception(String message) {
        super(message);
    }
}
