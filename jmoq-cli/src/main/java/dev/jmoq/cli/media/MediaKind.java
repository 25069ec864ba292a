package dev.jmoq.cli.media;

/** The two kinds of media track a hang catalog describes (its {@code video} and {@code audio} sections). */
public enum MediaKind {
    VIDEO, AUDIO
}
