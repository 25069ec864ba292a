package dev.jmoq.wire.ietf;

import dev.jmoq.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * The Redirect of a REQUEST_ERROR with code REDIRECT (draft 18+): where to send the request instead
 * (Connect URI, empty for this session; Track Namespace; Track Name).
 */
public record Redirect(String connectUri, TrackNamespace namespace, Octets trackName) {
    public Redirect {
        Objects.requireNonNull(connectUri, "connectUri");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(trackName, "trackName");
    }

    static Redirect decode(ByteBuf b, IetfVersion v) throws ProtocolException {
        String uri = Wire.utf8(b, v, Goaway.MAX_URI, "connect URI");
        TrackNamespace ns = Wire.namespace(b, v);
        return new Redirect(uri, ns, Wire.trackName(b, v, ns));
    }

    void encode(ByteBuf out, IetfVersion v) {
        Wire.writeUtf8(out, v, connectUri);
        Wire.writeNamespace(out, v, namespace);
        Wire.writeOctets(out, v, trackName);
    }
}
