/**
 * The moq-lite protocol family (drafts 01 to 05) on the session layer, split by role as moq-dev's
 * {@code rs/moq-net/src/lite/} is: {@link dev.jmoq.core.session.lite.LiteFamily} (protocol names, error
 * codes, the factory entry), {@code LiteSession} (shared state and lifecycle), {@code LiteSetup}
 * (CLIENT_SETUP / SERVER_SETUP for 01/02), {@code LiteControl} (bidi stream dispatch),
 * {@code LitePublisher} (serving announces and subscriptions, grants, subscribe rate),
 * {@code LiteSubscriber} (the peer's announces, upstream subscriptions), {@code LiteGoaway}, and the
 * group-stream codec adapters {@code LiteFraming} and {@code LiteGroupDecoder}. Draft 05 adds
 * {@code LiteSetupStream} and {@code LiteUniStreams} (the SETUP uni stream), {@code LiteTrackServer} and
 * {@code LiteTrackInfos} (TRACK / TRACK_INFO served and fetched), {@code LiteSubscribeRange}
 * (SUBSCRIBE_START / END), {@code FrameTimestamps} (per-frame timestamps: the model's, kept by the
 * ingest from a lite-05 peer's frames, else the local time) and {@code LiteDatagrams} (the peer's datagrams
 * in; {@code LiteFraming} writes ours). {@code LitePublisher} answers FETCH (draft
 * 03+) with the neutral {@link dev.jmoq.core.session.FetchServe} and this family's framing, and passes a
 * SUBSCRIBE's start and end groups to {@link dev.jmoq.core.session.GroupEgress}.
 *
 * <p>Draft differences come from the wire codec's feature table ({@link dev.jmoq.wire.lite.LiteVersion});
 * nothing here compares version numbers. This package is the only user of {@code dev.jmoq.wire.lite}
 * in jmoq-core; nothing outside it names its classes other than {@code LiteFamily}.
 *
 * <p>Threading: a session and its role objects run on the connection's event loop.
 */
package dev.jmoq.core.session.lite;
