/** The command line: {@code jmoq relay | pub | sub | ...}, built on picocli. Owns argument parsing and output only. */
package dev.jmoq.cli;
