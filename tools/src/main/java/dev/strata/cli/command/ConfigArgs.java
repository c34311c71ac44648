package dev.strata.cli.command;

import dev.strata.cli.Cli;
import dev.strata.cli.CliContext;
import dev.strata.cli.PasswordPrompt;
import dev.strata.cli.jobs.CommandRunner;
import dev.strata.cli.jobs.ConfigLoader;
import dev.strata.cli.jobs.ConfigLocation;
import dev.strata.cli.jobs.JobRunner;
import dev.strata.cli.jobs.JobsConfig;
import dev.strata.cli.jobs.StateFile;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.function.Consumer;

/** The {@code --config} option of the commands that read the configuration file, and what they build from it. */
public final class ConfigArgs {
    @Option(names = "--config", paramLabel = "FILE",
            description = "The configuration file (default: $STRATA_CONFIG, else /etc/strata/config.toml as root, else ~/.config/strata/config.toml).")
    Path config;

    Path file(CliContext ctx) {
        return ConfigLocation.configFile(config, ctx.env(), isRoot());
    }

    JobsConfig load(CliContext ctx) throws IOException {
        return ConfigLoader.load(file(ctx));
    }

    static StateFile state(CliContext ctx) {
        return new StateFile(ConfigLocation.stateDir(ctx.env()));
    }

    /** Schedules are read in the machine's time zone: "daily 02:30" is half past two where the machine is. */
    static ZoneId zone() {
        return ZoneId.systemDefault();
    }

    static JobRunner runner(CliContext ctx, JobsConfig config, Consumer<String> log) {
        return new JobRunner(config, commands(ctx), state(ctx), ctx.clock(), zone(), ctx.env(), log);
    }

    /** Strata's own commands, in this process, with no terminal: a job never waits for a person. */
    static CommandRunner commands(CliContext ctx) {
        return (args, env, in, out, err) -> Cli.run(args.toArray(String[]::new), new CliContext(env, in, out, err,
                PasswordPrompt.none(), false, ctx.clock(), ctx.host(), ctx.kdf()));
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Log lines with the time in front, as the daemon writes them (the journal adds its own, harmlessly). */
    static Consumer<String> log(CliContext ctx, PrintStream to) {
        return line -> {
            synchronized (to) {
                to.println(ctx.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " " + line);
                to.flush();
            }
        };
    }
}
