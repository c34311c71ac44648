package dev.strata.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.cli.CliContext;
import dev.strata.cli.jobs.JobConfig;
import dev.strata.cli.jobs.JobRecord;
import dev.strata.cli.jobs.JobsConfig;
import dev.strata.cli.jobs.StateFile;
import dev.strata.core.error.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata jobs}: the jobs of the configuration file with their last run and next run. */
@Command(name = "jobs", description = {"List the jobs of the configuration file: last run, result, duration, size added, next run.",
        "With --check, exit code 1 when a job failed twice in a row or has not succeeded for longer than its max-age."})
final class JobsCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    ConfigArgs config;

    @Option(names = "--json", description = "Print machine-readable JSON.")
    boolean json;

    @Option(names = "--check", description = "For monitoring: say which jobs need attention, exit code 1 if any.")
    boolean check;

    JobsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        JobsConfig c = config.load(ctx);
        StateFile.State state = ConfigArgs.state(ctx).read();
        Instant now = ctx.clock().instant();
        List<String> alarms = new ArrayList<>();
        ArrayNode list = Json.MAPPER.createArrayNode();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"JOB", "SCHEDULE", "LAST RUN", "RESULT", "DURATION", "ADDED", "NEXT RUN"});
        for (JobConfig j : c.jobs().values()) {
            JobRecord r = state.job(j.name());
            Instant next = j.schedule() == null ? null : j.schedule().next(r.lastRun(), now, ConfigArgs.zone());
            String alarm = r.alarm(j.maxAge(), now);
            if (alarm != null) {
                alarms.add("job " + j.name() + ": " + alarm);
            }
            ObjectNode n = list.addObject();
            n.put("job", j.name());
            n.put("repository", j.repository());
            n.put("schedule", j.schedule() == null ? null : j.schedule().text());
            n.put("lastRun", r.lastRun() == null ? null : r.lastRun().toString());
            n.put("result", r.result() == null ? null : r.result().word());
            if (r.duration() != null) {
                n.put("seconds", r.duration().toMillis() / 1000.0);
            } else {
                n.putNull("seconds");
            }
            if (r.bytesAdded() >= 0) {
                n.put("bytesAdded", r.bytesAdded());
            } else {
                n.putNull("bytesAdded");
            }
            n.put("snapshot", r.snapshot());
            n.put("message", r.message());
            n.put("lastSuccess", r.lastSuccess() == null ? null : r.lastSuccess().toString());
            n.put("failuresInARow", r.failuresInARow());
            n.put("nextRun", next == null ? null : (next.isBefore(now) ? now : next).toString());
            n.put("attention", alarm);
            rows.add(new String[]{j.name(), j.schedule() == null ? "-" : j.schedule().text(),
                    r.lastRun() == null ? "never" : Times.local(r.lastRun()), r.result() == null ? "-" : r.result().word(),
                    r.duration() == null ? "-" : String.format("%.1fs", r.duration().toMillis() / 1000.0),
                    r.bytesAdded() < 0 ? "-" : Sizes.human(r.bytesAdded()),
                    next == null ? "when named" : !next.isAfter(now) ? "due now" : Times.local(next)});
        }
        if (json) {
            ctx.out().println(Json.write(list));
        } else {
            print(rows);
        }
        if (check) {
            alarms.forEach(a -> ctx.err().println("strata: " + a));
            if (!alarms.isEmpty()) {
                return ExitCode.FAILURE.code();
            }
        }
        return ExitCode.OK.code();
    }

    private void print(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + width[i] + "s  ", r[i]));
            }
            ctx.out().println(line.toString().stripTrailing());
        }
    }
}
