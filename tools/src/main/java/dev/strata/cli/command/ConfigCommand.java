package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.cli.jobs.ConfigException;
import dev.strata.cli.jobs.JobConfig;
import dev.strata.cli.jobs.JobsConfig;
import dev.strata.cli.jobs.RepositoryConfig;
import dev.strata.core.error.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code strata config}: the configuration file's commands. */
@Command(name = "config", description = "The configuration file of jobs, schedules and mounts.",
        subcommands = ConfigCommand.Check.class)
final class ConfigCommand {

    /** {@code strata config check}: says what is wrong with the file, each problem at its line, or what it holds. */
    @Command(name = "check", description = {"Check the configuration file: every problem is listed with its line;",
            "a good file is summed up (repositories, jobs with their schedules, mounts)."})
    static final class Check implements Callable<Integer> {
        private final CliContext ctx;
        @Mixin
        ConfigArgs config;

        Check(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            JobsConfig c;
            try {
                c = config.load(ctx);
            } catch (ConfigException e) {
                e.lines().forEach(l -> ctx.err().println(l));
                ctx.err().println("strata: " + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s")
                        + " in " + config.file(ctx));
                return ExitCode.USAGE.code();
            }
            ctx.out().println(c.file() + ": ok");
            for (RepositoryConfig r : c.repositories().values()) {
                ctx.out().println("repository " + r.name() + ": " + r.location()
                        + (r.prune() != null ? ", prune " + r.prune().text() : "")
                        + (r.check() != null ? ", check " + r.check().text()
                        + (r.checkReadData() != null ? " reading " + r.checkReadData() + " of the data" : "") : ""));
            }
            for (JobConfig j : c.jobs().values()) {
                ctx.out().println("job " + j.name() + ": " + (j.stdinCommand() != null ? "the output of '" + j.stdinCommand() + "'"
                        : String.join(", ", j.paths())) + " into " + j.repository() + ", "
                        + (j.schedule() != null ? j.schedule().text() : "when run by name")
                        + (j.retention().any() ? ", keep " + String.join(" ", j.retention().options()) : ""));
            }
            c.mounts().values().forEach(m -> ctx.out().println("mount " + m.name() + ": " + m.repository() + " at " + m.mountpoint()));
            return ExitCode.OK.code();
        }
    }
}
