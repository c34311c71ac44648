package dev.strata.cli.jobs;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The daemon's loop: every tick it asks each scheduled job whether it is due, by the wall clock, so a
 * machine that slept or was off runs each missed job once when it is back. Due jobs run one after
 * another on one worker thread; a job already queued or running is not queued again. A job that
 * needs attention (failed twice in a row, or no success for longer than its max-age) is logged
 * loudly and handed to the {@link Alerts}. On battery power a due job waits for mains power, up to
 * {@link #BATTERY_PATIENCE}, then runs anyway: a laptop that stays unplugged is still backed up.
 * {@link #reload} swaps in a new configuration: a run queued or under way finishes as it began.
 * {@link #run} is called by one thread; {@link #stop} and {@link #reload} from any (a signal handler).
 */
public final class JobScheduler {
    /** How long a due job waits while the machine runs on battery before it runs anyway. */
    public static final Duration BATTERY_PATIENCE = Duration.ofHours(6);

    /** The configuration and its runner, replaced together by {@link #reload}. */
    private volatile Jobs jobs;
    private final StateFile state;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration tick;
    private final Consumer<String> log;
    private final Alerts alerts;
    private final BooleanSupplier onBattery;
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** Due jobs held back by battery power, with when they began to wait; confined to the loop's thread. */
    private final Map<String, Instant> waitingForPower = new HashMap<>();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "strata-jobs");
        t.setDaemon(true);
        return t;
    });

    /** Where a job that needs a person is reported besides the log (a desktop notification). */
    @FunctionalInterface
    public interface Alerts {
        void alert(String job, String why);
    }

    private record Jobs(JobsConfig config, JobRunner runner) {
    }

    /** A scheduler that never waits for power (tests, machines that cannot tell). */
    public JobScheduler(JobsConfig config, JobRunner runner, StateFile state, Clock clock, ZoneId zone, Duration tick,
                        Consumer<String> log, Alerts alerts) {
        this(config, runner, state, clock, zone, tick, log, alerts, () -> false);
    }

    /**
     * @param tick      how often due jobs are looked for (the daemon: 15 s; tests less)
     * @param onBattery whether the machine runs on battery now ({@link PowerSource})
     */
    public JobScheduler(JobsConfig config, JobRunner runner, StateFile state, Clock clock, ZoneId zone, Duration tick,
                        Consumer<String> log, Alerts alerts, BooleanSupplier onBattery) {
        this.onBattery = onBattery;
        this.jobs = new Jobs(config, runner);
        this.state = state;
        this.clock = clock;
        this.zone = zone;
        this.tick = tick;
        this.log = log;
        this.alerts = alerts;
    }

    /** Runs until {@link #stop}; then waits up to {@code grace} for a job under way to finish. */
    public void run(Duration grace) throws InterruptedException {
        log.accept("daemon started: " + jobs.config().jobs().size() + " job(s) from " + jobs.config().file());
        while (!stop.await(0, TimeUnit.MILLISECONDS)) {
            try {
                queueDue();
            } catch (IOException | RuntimeException e) {
                log.accept("ERROR reading the job state: " + e.getMessage());
            }
            if (stop.await(tick.toMillis(), TimeUnit.MILLISECONDS)) {
                break;
            }
        }
        worker.shutdown();
        if (!queued.isEmpty()) {
            log.accept("stopping: waiting up to " + Durations.format(grace) + " for " + String.join(", ", queued));
        }
        if (!worker.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            log.accept("stopping with " + String.join(", ", queued) + " still running");
        }
    }

    public void stop() {
        stop.countDown();
    }

    /**
     * From the next tick on, the jobs and schedules of {@code config}, run by {@code runner}. A job of the
     * old configuration queued or under way runs as it was; its last run counts for the new one of that name.
     */
    public void reload(JobsConfig config, JobRunner runner) {
        jobs = new Jobs(config, runner);
    }

    private void queueDue() throws IOException {
        StateFile.State s = state.read();
        Instant now = clock.instant();
        Jobs current = jobs;
        waitingForPower.keySet().retainAll(current.config().jobs().keySet());
        for (JobConfig j : current.config().jobs().values()) {
            if (j.schedule() == null || queued.contains(j.name())) {
                continue;
            }
            if (j.schedule().due(s.job(j.name()).lastRun(), now, zone) && !waitsForPower(j.name(), now)) {
                queued.add(j.name());
                worker.execute(() -> runQueued(j, current.runner()));
            }
        }
    }

    /** Whether the due job {@code name} waits because the machine runs on battery; says so once. */
    private boolean waitsForPower(String name, Instant now) {
        if (!onBattery.getAsBoolean()) {
            if (waitingForPower.remove(name) != null) {
                log.accept("job " + name + ": on mains power again, running");
            }
            return false;
        }
        Instant since = waitingForPower.get(name);
        if (since == null) {
            waitingForPower.put(name, now);
            log.accept("job " + name + " is due but the machine runs on battery: it waits for mains power, at most "
                    + Durations.format(BATTERY_PATIENCE));
            return true;
        }
        if (now.isBefore(since.plus(BATTERY_PATIENCE))) {
            return true;
        }
        waitingForPower.remove(name);
        log.accept("job " + name + " waited " + Durations.format(BATTERY_PATIENCE) + " for mains power: running on battery");
        return false;
    }

    private void runQueued(JobConfig j, JobRunner runner) {
        try {
            if (stop.getCount() == 0) {
                return; // asked to stop before this job started: it runs at the next start
            }
            JobOutcome o = runner.run(j);
            if (o.result() == JobOutcome.Result.FAILED) {
                log.accept("FAILED job " + j.name() + ": " + o.message());
            }
            String alarm = state.read().job(j.name()).alarm(j.maxAge(), clock.instant());
            if (alarm != null) {
                log.accept("ATTENTION job " + j.name() + ": " + alarm);
                alerts.alert(j.name(), alarm);
            }
        } catch (IOException | RuntimeException e) {
            log.accept("FAILED job " + j.name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            queued.remove(j.name());
        }
    }
}
