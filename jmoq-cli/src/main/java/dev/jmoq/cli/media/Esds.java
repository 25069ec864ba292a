package dev.jmoq.cli.media;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * The MPEG-4 elementary stream descriptor box ({@code esds}): reads the DecoderSpecificInfo (an AAC
 * AudioSpecificConfig) out of its ES_Descriptor and writes one for AAC (ISO/IEC 14496-1 sections 7.2.6.5,
 * 7.2.6.6, 7.2.6.7; ISO/IEC 14496-14 section 5.6).
 */
public final class Esds {
    private static final int ES_DESCR = 3;
    private static final int DECODER_CONFIG = 4;
    private static final int DECODER_SPECIFIC = 5;
    private static final int SL_CONFIG = 6;

    private Esds() {
    }

    /** The AudioSpecificConfig inside an esds box body (version/flags first). */
    public static byte[] audioSpecificConfig(ByteBuffer esdsBody) {
        ByteBuffer b = esdsBody.duplicate();
        b.getInt(); // version + flags
        if (readTag(b) != ES_DESCR) {
            throw new Mp4Exception("esds: no ES_Descriptor");
        }
        readLength(b);
        b.getShort(); // ES_ID
        int flags = b.get() & 0xFF;
        if ((flags & 0x80) != 0) {
            b.getShort(); // dependsOn_ES_ID
        }
        if ((flags & 0x40) != 0) {
            b.position(b.position() + (b.get() & 0xFF)); // URL
        }
        if ((flags & 0x20) != 0) {
            b.getShort(); // OCR_ES_Id
        }
        if (readTag(b) != DECODER_CONFIG) {
            throw new Mp4Exception("esds: no DecoderConfigDescriptor");
        }
        readLength(b);
        int objectType = b.get() & 0xFF;
        if (objectType != 0x40) {
            throw new Mp4Exception("esds: objectTypeIndication 0x" + Integer.toHexString(objectType) + " is not MPEG-4 audio");
        }
        b.position(b.position() + 12); // streamType, bufferSizeDB, maxBitrate, avgBitrate
        if (readTag(b) != DECODER_SPECIFIC) {
            throw new Mp4Exception("esds: no DecoderSpecificInfo");
        }
        int len = readLength(b);
        if (len > b.remaining()) {
            throw new Mp4Exception("esds: DecoderSpecificInfo length " + len + " exceeds the box");
        }
        byte[] asc = new byte[len];
        b.get(asc);
        return asc;
    }

    /** An esds box body (version/flags, ES_Descriptor) carrying {@code asc} for MPEG-4 audio. */
    public static byte[] forAudio(byte[] asc, int trackId, long bitrate) {
        ByteArrayOutputStream dsi = descriptor(DECODER_SPECIFIC, asc);
        ByteBuffer dc = ByteBuffer.allocate(13);
        dc.put((byte) 0x40).put((byte) 0x15).put((byte) 0).putShort((short) 0) // audio stream, bufferSizeDB 0
                .putInt((int) bitrate).putInt((int) bitrate);
        ByteArrayOutputStream dcBody = new ByteArrayOutputStream();
        dcBody.writeBytes(dc.array());
        dcBody.writeBytes(dsi.toByteArray());
        ByteArrayOutputStream es = new ByteArrayOutputStream();
        es.write(trackId >>> 8);
        es.write(trackId);
        es.write(0);
        es.writeBytes(descriptor(DECODER_CONFIG, dcBody.toByteArray()).toByteArray());
        es.writeBytes(descriptor(SL_CONFIG, new byte[] {2}).toByteArray());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[4]);
        out.writeBytes(descriptor(ES_DESCR, es.toByteArray()).toByteArray());
        return out.toByteArray();
    }

    private static ByteArrayOutputStream descriptor(int tag, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = body.length;
        out.write(0x80 | len >>> 21 & 0x7F);
        out.write(0x80 | len >>> 14 & 0x7F);
        out.write(0x80 | len >>> 7 & 0x7F);
        out.write(len & 0x7F);
        out.writeBytes(body);
        return out;
    }

    private static int readTag(ByteBuffer b) {
        return b.get() & 0xFF;
    }

    private static int readLength(ByteBuffer b) {
        int len = 0;
        for (int i = 0; i < 4; i++) {
            int v = b.get() & 0xFF;
            len = len << 7 | v & 0x7F;
            if ((v & 0x80) == 0) {
                break;
            }
        }
        return len;
    }
}
