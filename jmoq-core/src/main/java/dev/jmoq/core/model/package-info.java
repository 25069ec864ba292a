/**
 * The protocol-agnostic model: {@link dev.jmoq.core.model.Origin} (path to broadcast registry),
 * {@link dev.jmoq.core.model.Broadcast}, {@link dev.jmoq.core.model.Track} (which is also the group
 * cache and the track distributor), {@link dev.jmoq.core.model.Group} and frames (reference-counted
 * Netty buffers, with the timestamps, object ids, extension headers and {@link dev.jmoq.core.model.ObjectStatus}
 * the protocols carry), and {@link dev.jmoq.core.model.TrackCursor}, the one way a reader walks a track
 * (start and end group, lapping, eviction, retain).
 *
 * <p>Owns: what exists and who is told about it. Must not touch: wire formats, transports, sessions.
 *
 * <p>Buffer ownership: a frame handed to {@link dev.jmoq.core.model.Group#append} belongs to the group;
 * a frame read with {@link dev.jmoq.core.model.Group#frame} is borrowed and valid while the reader holds
 * a reference to the group ({@link dev.jmoq.core.model.Group#tryRetain}).
 */
package dev.jmoq.core.model;
