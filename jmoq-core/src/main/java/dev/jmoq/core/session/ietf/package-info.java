/**
 * IETF moq-transport (draft-ietf-moq-transport drafts 14 to 20; 21 and 22 as 20) sessions, split by role
 * as the moq-lite package is: {@link dev.jmoq.core.session.ietf.IetfFamily} (protocol names, codes),
 * {@code IetfSession} (shared state, lifecycle), {@code IetfSetup} (CLIENT_SETUP / SERVER_SETUP or the
 * draft-17 SETUP streams), {@code IetfControl} (message dispatch for either stream layout),
 * {@code RequestIds} (request-id accounting, MAX_REQUEST_ID / REQUESTS_BLOCKED on 14-16),
 * {@code IetfPublisher} (serving SUBSCRIBE and SUBSCRIBE_NAMESPACE, announcing our namespaces;
 * {@code Rendezvous} holds a SUBSCRIBE for a track not published yet),
 * {@code IetfPushes} (PUBLISH sent by this endpoint), {@code IetfTrackOffers} (SUBSCRIBE_TRACKS served: a
 * PUBLISH per track under the prefix),
 * {@code IetfSubscriber} (the peer's namespaces into the origin, upstream SUBSCRIBE, group routing) and
 * the data plane ({@code IetfFraming}, {@code IetfGroupDecoder}, {@code UniStreams}, and
 * {@code IetfDatagrams} for received OBJECT_DATAGRAMs).
 *
 * <p>Owns the mapping between the model and moq-transport; owns no bytes: every message and stream is
 * coded by {@code dev.jmoq.wire.ietf}, and every draft difference is asked of {@code IetfVersion}.
 */
package dev.jmoq.core.session.ietf;
