package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.cli.jobs.ConfigException;
import dev.strata.cli.jobs.ConfigLoader;
import dev.strata.cli.jobs.JobsConfig;
import dev.strata.cli.jobs.JobScheduler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The daemon's reload (SIGHUP): reads the configuration file again and hands it to the scheduler and
 * the mounts; a file with problems is refused, each problem logged with its line, and the configuration
 * loaded before stays. Called by one thread at a time ({@link HangupSignal}).
 */
final class ConfigReload implements Runnable {
    private final CliContext ctx;
    private final Path file;
    private final JobScheduler scheduler;
    private final MountKeeper mounts;
    private final Consumer<String> log;
    private JobsConfig current;

    ConfigReload(CliContext ctx, JobsConfig loaded, JobScheduler scheduler, MountKeeper mounts, Consumer<String> log) {
        this.ctx = ctx;
        this.file = loaded.file();
        this.current = loaded;
        this.scheduler = scheduler;
        this.mounts = mounts;
        this.log = log;
    }

    @Override
    public void run() {
        log.accept("reloading the configuration from " + file);
        JobsConfig next;
        try {
            next = ConfigLoader.load(file);
        } catch (ConfigException e) {
            e.lines().forEach(l -> log.accept("ERROR " + l));
            log.accept("ERROR reload refused: " + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s")
                    + " in " + file + "; the configuration loaded before stays");
            return;
        } catch (IOException | RuntimeException e) {
            log.accept("ERROR reload refused: " + e.getMessage() + "; the configuration loaded before stays");
            return;
        }
        scheduler.reload(next, ConfigArgs.runner(ctx, next, log));
        mounts.update(next);
        log.accept("configuration reloaded: " + next.jobs().size() + " job(s), " + next.mounts().size() + " mount(s)"
                + changes("jobs", current.jobs(), next.jobs()) + changes("mounts", current.mounts(), next.mounts()));
        current = next;
    }

    /** "; jobs added a, removed b, changed c", or nothing when none changed. */
    private static String changes(String what, Map<String, ?> before, Map<String, ?> after) {
        List<String> parts = new ArrayList<>();
        TreeSet<String> added = new TreeSet<>(after.keySet());
        added.removeAll(before.keySet());
        TreeSet<String> removed = new TreeSet<>(before.keySet());
        removed.removeAll(after.keySet());
        TreeSet<String> changed = new TreeSet<>();
        for (String name : after.keySet()) {
            if (before.containsKey(name) && !Objects.equals(before.get(name), after.get(name))) {
                changed.add(name);
            }
        }
        if (!added.isEmpty()) {
            parts.add("added " + String.join(", ", added));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + String.join(", ", removed));
        }
        if (!changed.isEmpty()) {
            parts.add("changed " + String.join(", ", changed));
        }
        return parts.isEmpty() ? "" : "; " + what + " " + String.join(", ", parts);
    }
}
