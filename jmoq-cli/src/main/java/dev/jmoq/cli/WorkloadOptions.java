package dev.jmoq.cli;

import picocli.CommandLine.Option;

/**
 * The workload options {@code loadgen} and {@code fanout-raw} share (a picocli mixin): a profile and its
 * per-run overrides, so that a relay leg and a raw leg given the same options send the same frames.
 */
final class WorkloadOptions {
    @Option(names = "--profile", description = "audio, video or hold (default: ${DEFAULT-VALUE}).", defaultValue = "audio")
    LoadgenCommand.Profile profile;

    @Option(names = "--fps", description = "Override the profile's frames per second.")
    Double fps;

    @Option(names = "--frame-size", description = "Override the profile's frame size in bytes (at least 16).")
    Integer frameSize;

    @Option(names = "--frames-per-group", description = "Override the profile's frames per group.")
    Integer framesPerGroup;

    /** Frames per second: the override, else the profile's. */
    double rate() {
        return fps != null ? fps : profile.fps;
    }

    /** Frame size in bytes: the override, else the profile's (not validated). */
    int size() {
        return frameSize != null ? frameSize : profile.frameSize;
    }

    /** Frames per group: the override, else the profile's (not validated). */
    int perGroup() {
        return framesPerGroup != null ? framesPerGroup : profile.framesPerGroup;
    }
}
