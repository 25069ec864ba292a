/**
 * Relay-to-relay links over MoQ itself: upstream links (this relay dials and pulls the upstream's
 * broadcasts) and peer links (announcements exchanged both ways). Loops are avoided with the hop lists
 * the announcements carry; subscriptions aggregate through the model (one upstream subscription per
 * track, however many local subscribers). Owns dialing and re-dialing; must not touch session internals.
 */
package dev.jmoq.relay.cluster;
