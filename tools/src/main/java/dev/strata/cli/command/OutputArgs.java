package dev.strata.cli.command;

import picocli.CommandLine.Option;

/** Output options: machine-readable JSON, or quiet. */
public final class OutputArgs {
    @Option(names = "--json", description = "Print machine-readable JSON.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors and warnings.")
    boolean quiet;
}
