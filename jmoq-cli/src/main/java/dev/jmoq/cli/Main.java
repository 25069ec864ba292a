package dev.jmoq.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code jmoq} command. */
@Command(name = "jmoq", mixinStandardHelpOptions = true, version = "jmoq 0.1.0",
        description = "Media over QUIC relay and tools for the JVM.",
        subcommands = {RelayCommand.class, PubCommand.class, SubCommand.class, LoadgenCommand.class, RawFanoutCommand.class,
                BulkCommand.class,
                TokenCommand.class, InteropCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static {
        // One line per event: time, level, logger, then the key=value message.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "%1$tFT%1$tT.%1$tLZ level=%4$s logger=%3$s %5$s%6$s%n");
        }
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
