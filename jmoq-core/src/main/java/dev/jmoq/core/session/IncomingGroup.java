package dev.jmoq.core.session;

/**
 * What the header of an incoming group stream names, in any family.
 *
 * @param subscription the subscription the group belongs to (moq-lite: the SUBSCRIBE id)
 * @param sequence     the group's sequence number
 */
public record IncomingGroup(long subscription, long sequence) {
}
