package dev.strata.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.cli.CliContext;
import dev.strata.cli.jobs.JobConfig;
import dev.strata.cli.jobs.JobOutcome;
import dev.strata.cli.jobs.JobRunner;
import dev.strata.cli.jobs.JobsConfig;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata run}: runs the due jobs of the configuration file now, or the jobs named, and sums up. */
@Command(name = "run", description = {"Run the jobs of the configuration file that are due (or those named) now:",
        "backup, forget by the job's retention, then the repository's prune and check when they are due.",
        "Exit code 0 when every job ran, 1 when one failed, 3 when a backup left something out."})
final class RunCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    ConfigArgs config;

    @Parameters(paramLabel = "JOB", arity = "0..*", description = "Jobs to run now, due or not (default: the due ones).")
    List<String> names = new ArrayList<>();

    @Option(names = "--json", description = "Print machine-readable JSON.")
    boolean json;

    @Option(names = {"-v", "--verbose"}, description = "Print each step as it happens (on stderr).")
    boolean verbose;

    RunCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        JobsConfig c = config.load(ctx);
        JobRunner runner = ConfigArgs.runner(ctx, c, verbose ? ConfigArgs.log(ctx, ctx.err()) : line -> { });
        List<JobConfig> jobs = names.isEmpty() ? runner.due() : named(c);
        List<JobOutcome> outcomes = new ArrayList<>();
        for (JobConfig j : jobs) {
            outcomes.add(runner.run(j));
        }
        print(outcomes);
        if (outcomes.stream().anyMatch(o -> o.result() == JobOutcome.Result.FAILED)) {
            return ExitCode.FAILURE.code();
        }
        if (outcomes.stream().anyMatch(o -> o.result() == JobOutcome.Result.BUSY)) {
            return ExitCode.LOCKED.code();
        }
        return outcomes.stream().anyMatch(o -> o.result() == JobOutcome.Result.INCOMPLETE) ? ExitCode.INCOMPLETE.code() : ExitCode.OK.code();
    }

    private List<JobConfig> named(JobsConfig c) throws UserFacingException {
        List<JobConfig> out = new ArrayList<>();
        for (String n : names) {
            JobConfig j = c.jobs().get(n);
            if (j == null) {
                throw new UserFacingException(ExitCode.NOT_FOUND, "no job named '" + n + "' in " + c.file()
                        + " (jobs: " + String.join(", ", c.jobs().keySet()) + ")");
            }
            if (!out.contains(j)) {
                out.add(j);
            }
        }
        return out;
    }

    private void print(List<JobOutcome> outcomes) {
        PrintStream out = ctx.out();
        if (json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            ArrayNode list = root.putArray("jobs");
            outcomes.forEach(o -> list.add(JobsJson.outcome(o)));
            for (JobOutcome.Result r : JobOutcome.Result.values()) {
                root.put(r.word(), outcomes.stream().filter(o -> o.result() == r).count());
            }
            out.println(Json.write(root));
            return;
        }
        if (outcomes.isEmpty()) {
            out.println("no job is due");
            return;
        }
        int width = outcomes.stream().mapToInt(o -> o.job().length()).max().orElse(0);
        for (JobOutcome o : outcomes) {
            StringBuilder line = new StringBuilder(String.format("%-" + width + "s  %-10s  %7s", o.job(), o.result().word(),
                    JobRunner.seconds(o.duration())));
            if (o.bytesAdded() >= 0) {
                line.append("  added ").append(Sizes.human(o.bytesAdded()));
            }
            if (o.snapshot() != null) {
                line.append("  snapshot ").append(o.snapshot());
            }
            if (o.pruned()) {
                line.append("  pruned");
            }
            if (o.checked()) {
                line.append("  checked");
            }
            if (o.message() != null) {
                line.append("  ").append(o.message());
            }
            out.println(line);
        }
        List<String> counts = new ArrayList<>();
        for (JobOutcome.Result r : JobOutcome.Result.values()) {
            long n = outcomes.stream().filter(o -> o.result() == r).count();
            if (n > 0) {
                counts.add(n + " " + r.word());
            }
        }
        out.println(outcomes.size() + " job" + (outcomes.size() == 1 ? "" : "s") + ": " + String.join(", ", counts));
    }
}
