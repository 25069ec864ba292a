package dev.jmoq.relay.auth;

import dev.jmoq.core.session.SessionAuthorizer;
import java.io.IOException;
import java.time.Clock;

/** Builds the relay's {@link SessionAuthorizer} from its {@link AuthOptions}. Stateless. */
public final class SessionAuthorizers {
    private static final System.Logger LOG = System.getLogger("jmoq.auth");

    private SessionAuthorizers() {
    }

    /**
     * The {@link JwtAuthorizer} {@code options} describe; with neither key nor public prefix it allows
     * everything under the connection's path (still checking the origin allow-list).
     *
     * @throws IOException        the key file cannot be read
     * @throws KeyFormatException the key file holds no usable key
     */
    public static SessionAuthorizer fromConfig(AuthOptions options, RefusalListener refusals)
            throws IOException, KeyFormatException {
        if (options.open()) {
            LOG.log(System.Logger.Level.WARNING, "event=auth_disabled detail=\"no auth.key and no public prefix:"
                    + " every session may publish and subscribe anywhere under its path\"");
        }
        KeySet keys = options.key() == null ? null : KeySet.load(options.key());
        if (keys != null) {
            for (JwtKey k : keys.keys()) {
                if (!k.canVerify()) {
                    throw new KeyFormatException(options.key() + ": key " + k + " is not allowed to verify (key_ops)");
                }
            }
        }
        return new JwtAuthorizer(keys, options.publicSubscribe(), options.publicPublish(), options.allowedOrigins(),
                refusals, Clock.systemUTC());
    }
}
