package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.cli.Main;
import dev.strata.core.backend.s3.testing.S3TestServer;
import dev.strata.core.testing.ChildJvm;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two clients and a prune on one repository in S3 (S3Proxy on loopback), three processes at once,
 * each with a cache of its own: two machines back up their folders while a third forgets and prunes,
 * started at random moments, for several rounds. No process fails, {@code check --read-data} is clean
 * after every round, and every snapshot left restores to the folder as it was when it was saved.
 */
@Timeout(value = 480, unit = TimeUnit.SECONDS)
class S3ManyClientsTest {
    private static final int ROUNDS = 4;
    private static final String PASSWORD = "shared by the household";
    @TempDir
    static Path tmp;
    static S3TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, String> env(String repo, String client) {
        Map<String, String> env = new HashMap<>(server.env());
        env.put("STRATA_REPO", repo);
        env.put("STRATA_PASSWORD", PASSWORD);
        env.put("STRATA_CACHE_DIR", tmp.resolve(client + "-cache").toString());
        env.put("HOME", tmp.resolve(client + "-home").toString());
        return env;
    }

    /** Changes a folder a little, as a day's work does: a new file, a changed one, one removed. */
    private static void work(Path folder, SplittableRandom random, int round) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < (round == 0 ? 12 : 2); i++) {
            Files.write(folder.resolve("file-" + round + "-" + i + ".bin"),
                    RandomData.bytes(random.nextLong(), 1_000 + random.nextInt(250_000)));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.sorted().toList();
        }
        if (round > 0) {
            Path changed = files.get(random.nextInt(files.size()));
            Files.write(changed, RandomData.bytes(random.nextLong(), 2_000 + random.nextInt(100_000)));
            Files.delete(files.get(random.nextInt(files.size())));
        }
    }

    @Test
    void twoClientsBackUpWhileAThirdPrunes_everyRoundChecksCleanAndEverySnapshotRestores() throws Exception {
        server.createBucket("household");
        String repo = server.repo("household", "shared");
        CliRunner inspector = new CliRunner(tmp.resolve("unused"), tmp.resolve("inspector-cache"))
                .env("STRATA_REPO", repo).password(PASSWORD);
        server.env().forEach(inspector::env);
        ok(inspector, "init", "--chunk-size", "16,64,256");
        Map<String, Path> sources = Map.of("laptop", tmp.resolve("laptop-docs"), "desk", tmp.resolve("desk-photos"));
        // What each source held when round r saved it, by source and round.
        Map<String, TreeComparison.Manifest> saved = new HashMap<>();
        // Timings differ from run to run; STRATA_TEST_SEED replays one run's folders and start delays.
        long seed = Long.parseLong(System.getenv().getOrDefault("STRATA_TEST_SEED", Long.toString(System.nanoTime())));
        System.out.println("S3ManyClientsTest seed " + seed);
        SplittableRandom random = new SplittableRandom(seed);
        long deletedPacks = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (Map.Entry<String, Path> s : sources.entrySet()) {
                work(s.getValue(), random, round);
                saved.put(s.getKey() + "/" + round, TreeComparison.scan(s.getValue()));
            }
            java.util.Set<String> packsBefore = new java.util.HashSet<>(server.keys("household"));
            packsBefore.removeIf(k -> !k.contains("/data/"));
            record Job(String client, long delayMillis, String[] args) {
            }
            List<Job> jobs = new ArrayList<>();
            for (Map.Entry<String, Path> s : sources.entrySet()) {
                jobs.add(new Job(s.getKey(), random.nextInt(2_000), new String[] {"backup", s.getValue().toString(),
                        "--host", s.getKey(), "--tag", "round-" + round, "--quiet"}));
            }
            jobs.add(new Job("pruner", random.nextInt(2_000), new String[] {"forget", "--keep-last", "2", "--prune",
                    "--max-unused", "0", "--quiet"}));
            jobs.sort(Comparator.comparingLong(Job::delayMillis));
            List<ChildJvm> running = new ArrayList<>();
            long started = System.nanoTime();
            try {
                for (Job j : jobs) {
                    long wait = j.delayMillis() - (System.nanoTime() - started) / 1_000_000;
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    running.add(ChildJvm.start(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                            env(repo, j.client()), Main.class, tmp.resolve("logs-" + round), j.args()));
                }
                for (int i = 0; i < running.size(); i++) {
                    ChildJvm c = running.get(i);
                    int code = c.waitFor(Duration.ofMinutes(3));
                    assertThat(code).as("seed %d, round %d: %s %s\n%s", seed, round, jobs.get(i).client(),
                            String.join(" ", jobs.get(i).args()), c.stderr()).isZero();
                }
            } finally {
                for (ChildJvm c : running) {
                    c.close();
                }
            }
            packsBefore.removeAll(server.keys("household"));
            deletedPacks += packsBefore.size();

            CliRunner.Result check = ok(inspector, "check", "--read-data");
            assertThat(check.err()).as("seed %d, round %d: check --read-data", seed, round).isEmpty();
            JsonNode snapshots = lastJson(ok(inspector, "snapshots", "--json"));
            // Two kept per client, and one more when a backup ended after the forget.
            assertThat(snapshots.size()).isBetween(2, 6);
            for (JsonNode s : snapshots) {
                String host = s.get("host").asText();
                String tag = s.get("tags").get(0).asText();
                Path target = tmp.resolve("restore-" + round + "-" + s.get("id").asText().substring(0, 8));
                ok(inspector, "restore", s.get("id").asText(), "--target", target.toString());
                TreeComparison.Manifest expected = saved.get(host + "/" + tag.substring("round-".length()));
                assertThat(TreeComparison.compare(expected, TreeComparison.scan(E2e.restoredAt(target, sources.get(host)))))
                        .as("seed %d, round %d: snapshot of %s from %s restores as saved", seed, round, host, tag).isEmpty();
            }
        }
        // With no writer left, what the rounds condemned goes (whichever rounds' timings let prune delete).
        java.util.Set<String> packsBefore = new java.util.HashSet<>(server.keys("household"));
        packsBefore.removeIf(k -> !k.contains("/data/"));
        ok(inspector, "prune", "--max-unused", "0");
        packsBefore.removeAll(server.keys("household"));
        assertThat(ok(inspector, "check", "--read-data").err()).isEmpty();
        System.out.printf("%d rounds of two backups beside forget --prune on S3: %d packs deleted during the rounds, %d after%n",
                ROUNDS, deletedPacks, packsBefore.size());
        assertThat(deletedPacks + packsBefore.size()).as("prune deleted").isPositive();
    }
}
