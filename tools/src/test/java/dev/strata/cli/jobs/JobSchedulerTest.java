package dev.strata.cli.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's loop with a clock the test moves and commands that only count: catching up, never two runs at once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JobSchedulerTest {
    private static final Instant T = Instant.parse("2026-12-07T09:00:00Z");

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(T);
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    private JobsConfig config() throws ConfigException {
        return ConfigLoader.parse(dir.resolve("config.toml"), """
                [repositories.main]
                path = "/r"
                [jobs.docs]
                paths = ["/docs"]
                schedule = "every 1h"
                [jobs.db]
                paths = ["/db"]
                schedule = "daily 02:30"
                max-age = "1d"
                """);
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() < deadline).as(what).isTrue();
            Thread.sleep(5);
        }
    }

    @Test
    void wakingAfterHoursAsleep_runsEachJobOnce_notOncePerMissedSlot() throws Exception {
        List<String> backups = new CopyOnWriteArrayList<>();
        CommandRunner commands = (args, env, in, out, err) -> {
            backups.add(args.get(args.size() - 1) + "@" + now.get());
            out.println("{\"type\":\"summary\",\"snapshot\":\"0123456789abcdef\",\"bytesAdded\":5}");
            return 0;
        };
        StateFile state = new StateFile(dir.resolve("state"));
        List<String> log = new CopyOnWriteArrayList<>();
        JobsConfig c = config();
        JobScheduler s = new JobScheduler(c, new JobRunner(c, commands, state, clock, ZoneOffset.UTC, Map.of(), log::add),
                state, clock, ZoneOffset.UTC, Duration.ofMillis(10), log::add, (job, why) -> { });
        Thread loop = new Thread(() -> {
            try {
                s.run(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();
        try {
            await("both jobs ran at start", () -> backups.size() == 2);
            Thread.sleep(100); // many ticks: nothing is due
            assertThat(backups).containsExactly("/docs@" + T, "/db@" + T);

            // The lid closes at 09:00 and opens at 17:45 the next day: eight hourly slots and a 02:30 went by.
            now.set(Instant.parse("2026-12-08T17:45:00Z"));
            await("each job once after waking", () -> backups.size() == 4);
            Thread.sleep(100);
            assertThat(backups.subList(2, 4)).containsExactlyInAnyOrder("/docs@2026-12-08T17:45:00Z", "/db@2026-12-08T17:45:00Z");
        } finally {
            s.stop();
            loop.join();
        }
        assertThat(state.read().job("docs").lastRun()).isEqualTo(Instant.parse("2026-12-08T17:45:00Z"));
    }

    @Test
    void onBattery_aDueJobWaitsForMains_atMostItsPatience_thenRunsAnyway() throws Exception {
        List<String> backups = new CopyOnWriteArrayList<>();
        CommandRunner commands = (args, env, in, out, err) -> {
            backups.add(args.get(args.size() - 1) + "@" + now.get());
            out.println("{\"type\":\"summary\",\"snapshot\":\"0123456789abcdef\",\"bytesAdded\":5}");
            return 0;
        };
        StateFile state = new StateFile(dir.resolve("state"));
        List<String> log = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean battery = new java.util.concurrent.atomic.AtomicBoolean(true);
        JobsConfig c = config();
        JobScheduler s = new JobScheduler(c, new JobRunner(c, commands, state, clock, ZoneOffset.UTC, Map.of(), log::add),
                state, clock, ZoneOffset.UTC, Duration.ofMillis(10), log::add, (job, why) -> { }, battery::get);
        Thread loop = new Thread(() -> {
            try {
                s.run(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();
        try {
            Thread.sleep(200); // many ticks on battery
            assertThat(backups).as("nothing runs on battery at first").isEmpty();
            assertThat(log).filteredOn(l -> l.contains("waits for mains power")).hasSize(2); // once per job, not per tick

            now.set(T.plus(Duration.ofHours(1)));
            battery.set(false);
            await("both jobs run on mains power", () -> backups.size() == 2);
            assertThat(log).anyMatch(l -> l.contains("on mains power again"));

            battery.set(true);
            now.set(T.plus(Duration.ofHours(2)).plusSeconds(1)); // docs is due again (every 1h)
            Thread.sleep(200);
            assertThat(backups).as("waits again on battery").hasSize(2);
            now.set(T.plus(Duration.ofHours(2)).plus(JobScheduler.BATTERY_PATIENCE).plusSeconds(2));
            await("runs anyway once its patience is spent", () -> backups.size() == 3);
            assertThat(backups.get(2)).startsWith("/docs@");
            assertThat(log).anyMatch(l -> l.contains("for mains power: running on battery"));
        } finally {
            s.stop();
            loop.join();
        }
    }

    @Test
    void aRunLongerThanItsInterval_isNeverJoinedByASecond() throws Exception {
        Semaphore release = new Semaphore(0);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CommandRunner commands = (args, env, in, out, err) -> {
            if (!args.get(args.size() - 1).equals("/docs")) {
                return 0;
            }
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            runs.incrementAndGet();
            started.countDown();
            try {
                release.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return 0;
        };
        StateFile state = new StateFile(dir.resolve("state"));
        JobsConfig c = config();
        List<String> log = new CopyOnWriteArrayList<>();
        JobScheduler s = new JobScheduler(c, new JobRunner(c, commands, state, clock, ZoneOffset.UTC, Map.of(), log::add),
                state, clock, ZoneOffset.UTC, Duration.ofMillis(5), log::add, (job, why) -> { });
        Thread loop = new Thread(() -> {
            try {
                s.run(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();
        try {
            assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
            // Three hours pass while the first run is still under way: ticks see it due the whole time.
            for (int h = 1; h <= 3; h++) {
                now.set(T.plus(Duration.ofHours(h)));
                Thread.sleep(50);
            }
            assertThat(runs.get()).isEqualTo(1);
            release.release();
            await("the one run due after the long one", () -> runs.get() == 2);
            release.release();
            Thread.sleep(100);
        } finally {
            s.stop();
            release.release(10);
            loop.join();
        }
        assertThat(most.get()).isEqualTo(1);
        assertThat(runs.get()).isEqualTo(2);
    }

    @Test
    void aJobThatNeedsAttention_isAlerted() throws Exception {
        CommandRunner failing = (args, env, in, out, err) -> {
            err.println("strata: no such file: " + args.get(args.size() - 1));
            return 1;
        };
        StateFile state = new StateFile(dir.resolve("state"));
        JobsConfig c = config();
        List<String> log = new CopyOnWriteArrayList<>();
        List<String> alerts = new CopyOnWriteArrayList<>();
        JobScheduler s = new JobScheduler(c, new JobRunner(c, failing, state, clock, ZoneOffset.UTC, Map.of(), log::add),
                state, clock, ZoneOffset.UTC, Duration.ofMillis(5), log::add, (job, why) -> alerts.add(job + ": " + why));
        Thread loop = new Thread(() -> {
            try {
                s.run(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loop.start();
        try {
            await("both failed once", () -> log.stream().filter(l -> l.startsWith("FAILED")).count() == 2);
            assertThat(alerts).isEmpty();
            now.set(T.plus(Duration.ofHours(1)));
            await("docs alerted", () -> alerts.size() == 1);
        } finally {
            s.stop();
            loop.join();
        }
        assertThat(alerts).containsExactly("docs: failed 2 times in a row (last: backup: no such file: /docs (exit code 1))");
        assertThat(log).contains("FAILED job db: backup: no such file: /db (exit code 1)",
                "ATTENTION job docs: failed 2 times in a row (last: backup: no such file: /docs (exit code 1))");
    }
}
