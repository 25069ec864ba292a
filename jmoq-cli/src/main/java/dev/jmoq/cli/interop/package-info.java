/**
 * The interop client of {@code jmoq interop}: englishm/moq-interop-runner's test cases (TEST-CASES.md:
 * setup-only ... publish-track-subscribe, and the candidates data-subgroup-basic and
 * subscribe-namespace-lifecycle) run through the Java client API against one relay, reported as TAP
 * version 14. Owns the cases' procedures, their timeouts and the report; owns no protocol code.
 */
package dev.jmoq.cli.interop;
