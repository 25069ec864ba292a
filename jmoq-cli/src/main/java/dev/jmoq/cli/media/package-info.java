/**
 * Media in and out of the CLI: reads fragmented MP4 (ISO/IEC 14496-12) as ffmpeg writes it and turns it into
 * a hang broadcast (a {@code catalog.json} track and one track per media track, frames in hang's legacy
 * container), and writes a hang broadcast back out as fragmented MP4. Owns the MP4 box reading and writing,
 * the hang catalog and frame framing; knows nothing of sessions or sockets (the commands wire it to a
 * {@code ClientSession}). See docs/media.md.
 */
package dev.jmoq.cli.media;
