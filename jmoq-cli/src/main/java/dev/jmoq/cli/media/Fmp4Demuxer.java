package dev.jmoq.cli.media;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives an {@link Mp4BoxReader} over a fragmented MP4 stream and reports its tracks (once, at the moov) and
 * then its samples, fragment by fragment, as soon as each fragment's mdat has arrived. Boxes it does not need
 * (ftyp, styp, sidx, free, udta, mfra...) are skipped. Not thread-safe.
 */
public final class Fmp4Demuxer {
    /** What the demuxer reports, on the reading thread. */
    public interface Listener {
        /** The moov's supported tracks, and what was skipped. Called once, before any sample. */
        void onTracks(List<MediaTrack> tracks, List<String> skipped);

        /** The samples of one fragment, in trun order. */
        void onFragment(List<Sample> samples);
    }

    private final Mp4BoxReader reader;
    private final Listener listener;
    private final Map<Integer, MediaTrack> tracks = new HashMap<>();
    private boolean haveMoov;
    private Mp4Box moof;
    private long fragments;

    public Fmp4Demuxer(Mp4BoxReader reader, Listener listener) {
        this.reader = reader;
        this.listener = listener;
    }

    /**
     * Reads and handles the next top-level box; false at the end of the stream.
     *
     * @throws Mp4Exception a fragment before the moov, a second moov, a moof not followed by its mdat, or a
     *                      malformed box (never another runtime exception for bad input)
     */
    public boolean step() throws IOException {
        Mp4Box box = reader.next();
        if (box == null) {
            return false;
        }
        try {
            handle(box);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            // A field read past the end of its box: the box is shorter than its type requires.
            throw new Mp4Exception("malformed " + box.type() + " at offset " + box.offset() + " (" + box.size() + " bytes): "
                    + e.getClass().getSimpleName());
        }
        return true;
    }

    private void handle(Mp4Box box) {
        switch (box.type()) {
            case "moov" -> {
                if (haveMoov) {
                    throw new Mp4Exception("second moov at offset " + box.offset());
                }
                InitSegmentParser.Result r = InitSegmentParser.parse(box);
                if (r.tracks().isEmpty()) {
                    throw new Mp4Exception("no supported track (H.264, AAC, Opus) in the moov: " + r.skipped());
                }
                for (MediaTrack t : r.tracks()) {
                    tracks.put(t.trackId(), t);
                }
                haveMoov = true;
                listener.onTracks(r.tracks(), r.skipped());
            }
            case "moof" -> {
                if (!haveMoov) {
                    throw new Mp4Exception("moof at offset " + box.offset() + " before the moov");
                }
                if (moof != null) {
                    throw new Mp4Exception("moof at offset " + box.offset() + " follows a moof without its mdat");
                }
                moof = box;
            }
            case "mdat" -> {
                if (moof == null) {
                    throw new Mp4Exception("mdat at offset " + box.offset() + " without a moof: not a fragmented MP4"
                            + " (write it with -movflags cmaf+separate_moof+delay_moov+skip_trailer+frag_every_frame)");
                }
                List<Sample> samples = FragmentParser.parse(moof, box, tracks);
                moof = null;
                fragments++;
                listener.onFragment(samples);
            }
            default -> {
                // ftyp, styp, sidx, free, udta, mfra, ...: nothing to publish.
            }
        }
    }

    /** Reads the whole stream. */
    public void run() throws IOException {
        while (step()) {
            // next box
        }
    }

    /** Fragments handled so far. */
    public long fragments() {
        return fragments;
    }
}
