package dev.jmoq.transport.tls;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The server certificate in use, replaceable at run time (certificate rotation): listeners ask for the
 * current one per connection, so a new certificate applies to new connections while established ones
 * keep theirs. Also caches what each listener derives from a certificate (a TLS context), rebuilt once
 * per certificate.
 *
 * <p>Thread-safe: the certificate is a volatile reference; derived values are computed under a lock the
 * first time a certificate is seen.
 */
public final class CertificateStore {
    private volatile ServerCertificate current;
    private final Map<Object, Derived> derived = new IdentityHashMap<>();

    private record Derived(ServerCertificate from, Object value) {
    }

    public CertificateStore(ServerCertificate initial) {
        this.current = initial;
    }

    public ServerCertificate current() {
        return current;
    }

    /** Makes {@code next} the certificate for new connections. */
    public void replace(ServerCertificate next) {
        this.current = next;
    }

    /**
     * What {@code key}'s owner derives from the current certificate (its TLS context), computed once per
     * certificate with {@code factory}.
     */
    @SuppressWarnings("unchecked")
    public <T> T derive(Object key, Function<ServerCertificate, T> factory) {
        ServerCertificate c = current;
        synchronized (derived) {
            Derived d = derived.get(key);
            if (d == null || d.from() != c) {
                d = new Derived(c, factory.apply(c));
                derived.put(key, d);
            }
            return (T) d.value();
        }
    }
}
