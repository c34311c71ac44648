package dev.strata.cli;

/** The {@code strata} executable: the one place that calls {@link System#exit}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Cli.run(args, CliContext.system()));
    }
}
