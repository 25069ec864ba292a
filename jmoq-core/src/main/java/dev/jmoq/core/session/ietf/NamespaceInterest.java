package dev.jmoq.core.session.ietf;

import dev.jmoq.core.model.Paths;
import dev.jmoq.wire.ietf.IetfMessage;
import dev.jmoq.wire.ietf.IetfVersion;
import dev.jmoq.wire.ietf.Namespace;
import dev.jmoq.wire.ietf.NamespaceDone;
import dev.jmoq.wire.ietf.Parameters;
import dev.jmoq.wire.ietf.SubscribeNamespace;
import dev.jmoq.wire.ietf.UnsubscribeNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The application's interest in the peer's namespaces ({@code Session.announced}): SUBSCRIBE_NAMESPACE
 * for a prefix, heard back as NAMESPACE / NAMESPACE_DONE on its stream (16+) or, on 14/15, as the peer's
 * PUBLISH_NAMESPACE requests, which {@link IetfSubscriber} passes on through {@link #tell}.
 *
 * <p>Threading: the session's event loop.
 */
final class NamespaceInterest {
    private final IetfSession session;
    private final List<Listening> listeners = new ArrayList<>();
    private IetfControl control;

    NamespaceInterest(IetfSession session) {
        this.session = session;
    }

    void control(IetfControl c) {
        this.control = c;
    }

    /** An application's interest in the peer's namespaces under {@code prefix} (root-relative). */
    private record Listening(String prefix, BiConsumer<String, Boolean> listener) {
    }

    /** The peer announced ({@code active}) or withdrew {@code rel} (root-relative): tell who listens under it. */
    void tell(String rel, boolean active) {
        for (Listening l : List.copyOf(listeners)) {
            if (Paths.hasPrefix(rel, l.prefix)) {
                l.listener.accept(Paths.suffix(rel, l.prefix), active);
            }
        }
    }

    /** SUBSCRIBE_NAMESPACE for {@code prefix}; {@code listener} hears (suffix, active). Event loop. */
    void announced(String prefix, BiConsumer<String, Boolean> listener) {
        String p = Paths.normalize(prefix);
        IetfVersion v = session.version();
        boolean entries = v.hasNamespaceMessages();
        if (!entries) {
            listeners.add(new Listening(p, listener)); // the peer answers with PUBLISH_NAMESPACE requests
        }
        control.request(id -> new SubscribeNamespace(id, Namespaces.of(p), SubscribeNamespace.NAMESPACE, Parameters.EMPTY),
                entries, ex -> ex.listen(new Exchange.Listener() {
                    @Override
                    public void onMessage(IetfMessage m) {
                        switch (m) {
                            case Namespace n -> listener.accept(Namespaces.toPath(n.suffix()), true);
                            case NamespaceDone n -> listener.accept(Namespaces.toPath(n.suffix()), false);
                            default -> { }
                        }
                    }

                    @Override
                    public void onEnd(long code) {
                        ex.end(new UnsubscribeNamespace(ex.requestId, Namespaces.of(p)));
                    }
                }), () -> { });
    }

    void clear() {
        listeners.clear();
    }
}
