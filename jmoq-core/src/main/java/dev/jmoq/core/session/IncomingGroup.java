package dev.jmoq.core.session;

/**
 * What the header of an incoming group stream names, in any family.
 *
 * @param subscription      the subscription the group belongs to (moq-lite: the SUBSCRIBE id)
 * @param sequence          the group's sequence number
 * @param publisherPriority the publisher priority the header carries (IETF SUBGROUP_HEADER "Publisher
 *                          Priority", 0..255), or -1 when it carries none (moq-lite; an IETF header with
 *                          the default-priority flag): the group keeps the model's default
 */
public record IncomingGroup(long subscription, long sequence, int publisherPriority) {
    /** A header without a publisher priority. */
    public IncomingGroup(long subscription, long sequence) {
        this(subscription, sequence, -1);
    }
}
