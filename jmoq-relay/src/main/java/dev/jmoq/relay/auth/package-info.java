/**
 * Session authentication: JWT verification (HS256, ES256, EdDSA with the JDK's crypto) with moq-dev
 * compatible claims ({@code root}, {@code put}, {@code get}, {@code exp}), the mapping of claims to a
 * {@link dev.jmoq.core.session.Grant}, anonymous public prefixes and the browser Origin allow-list, built
 * from config by {@link dev.jmoq.relay.auth.SessionAuthorizers}. Decides grants only; enforcing them is the
 * sessions' job, and nothing here touches a session or the network.
 */
package dev.jmoq.relay.auth;
