package dev.jmoq.core.model;

/**
 * The status of an object, and how a group ended: the codes of IETF moq-transport's Object Status
 * (draft-ietf-moq-transport-14, section 10.2.1.1 "Object Status"), which the model carries so a relay
 * can pass them on. moq-lite has no object status: a moq-lite group stream's FIN is
 * {@link #END_OF_GROUP}, and its frames are all {@link #NORMAL}.
 */
public final class ObjectStatus {
    /** An object with a payload (possibly empty). */
    public static final int NORMAL = 0x0;
    /** The object (or, as a group's end, the whole group) does not exist and never will. */
    public static final int DOES_NOT_EXIST = 0x1;
    /** No object follows in this group. */
    public static final int END_OF_GROUP = 0x3;
    /** No object follows in this track: the group is the track's last. */
    public static final int END_OF_TRACK = 0x4;

    private ObjectStatus() {
    }

    /** True for the codes above. The model stores any status from 0 to 255 and passes it on unchanged. */
    public static boolean isKnown(int status) {
        return status == NORMAL || status == DOES_NOT_EXIST || status == END_OF_GROUP || status == END_OF_TRACK;
    }
}
