/**
 * The pages the relay serves on its public TCP port beside {@code /certificate.sha256}: the dashboard
 * ({@code /}), the player ({@code /watch/<broadcast>}) and the publisher ({@code /publish/<name>}), their
 * bundled assets, and the dashboard's data with access control. The pages are built from {@code web/} by
 * {@code web/build} and committed as resources, so the relay needs nothing but the JDK to serve them.
 *
 * <p>Owns routing, content types, caching headers and who may read the dashboard's data on the public port.
 * Must not touch sessions or media.
 */
package dev.jmoq.relay.pages;
