package dev.strata.fstests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands that run at the same time as separate processes on one repository and one cache folder,
 * as they do when two terminals, a cron job or two machines use it: two backups at once, two checks
 * at once, a check during a backup. Each must finish as if it were alone, and the repository must
 * check clean and restore byte for byte afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 400, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ConcurrentCommandsIT {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private Strata strata;
    /** Source folder → the snapshot of it, once backed up. */
    private final Map<Path, String> snapshots = new HashMap<>();

    @BeforeAll
    void repository() throws IOException {
        dir = Files.createTempDirectory("strata-concurrent-it");
        strata = new Strata(dir);
        strata.run("init").ok();
    }

    @AfterAll
    void cleanUp() throws IOException {
        TempDirs.delete(dir);
    }

    /** A source tree of every kind of entry plus {@code uniqueMiB} of random data of its own. */
    private Path source(String name, int uniqueMiB, long seed) throws IOException {
        Path root = SourceTree.create(dir.resolve(name));
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(root.resolve("data/unique.bin"))) {
            for (int i = 0; i < uniqueMiB; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        return root;
    }

    private StrataProcess start(String logName, String... args) throws IOException {
        return StrataProcess.start(strata, dir.resolve(logName + ".log"), args);
    }

    private int locksHeld() throws IOException {
        Path locks = strata.repo.resolve("locks");
        if (!Files.isDirectory(locks)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(locks)) {
            return (int) s.count();
        }
    }

    /** Waits for every process, watching how many locks were held at once meanwhile; that maximum. */
    private int waitAll(StrataProcess... processes) throws Exception {
        int most = 0;
        long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
        while (Stream.of(processes).anyMatch(StrataProcess::isAlive) && System.nanoTime() < deadline) {
            most = Math.max(most, locksHeld());
            Thread.sleep(10);
        }
        for (StrataProcess p : processes) {
            p.waitFor(Duration.ofSeconds(1));
        }
        return most;
    }

    private void assertRestoresIdentical(Path source) throws IOException {
        String id = snapshots.get(source);
        Path target = dir.resolve("restored-" + source.getFileName());
        strata.run("restore", id, "--target", target.toString()).ok();
        assertThat(TreeCompare.differences(source, target.resolve(source.toString().substring(1))))
                .as("snapshot " + id + " of " + source).isEmpty();
    }

    private void recordSnapshots() throws IOException {
        JsonNode all = JSON.readTree(strata.run("snapshots", "--json").ok().out());
        for (JsonNode s : all) {
            snapshots.put(Path.of(s.get("paths").get(0).asText()), s.get("id").asText());
        }
    }

    private Strata.Result checkReadData() {
        return strata.run("check", "--read-data");
    }

    @Test
    @Order(1)
    void twoBackupsAtOnce_bothComplete_andBothRestoreIdentical() throws Exception {
        Path a = source("a", 40, 1);
        Path b = source("b", 40, 2);

        int mostLocks;
        int codeA;
        int codeB;
        try (StrataProcess first = start("backup-a", "backup", "--quiet", a.toString());
             StrataProcess second = start("backup-b", "backup", "--quiet", b.toString())) {
            mostLocks = waitAll(first, second);
            codeA = first.waitFor(Duration.ofSeconds(1));
            codeB = second.waitFor(Duration.ofSeconds(1));
            assertThat(codeA).as(first.output()).isZero();
            assertThat(codeB).as(second.output()).isZero();
        }
        assertThat(mostLocks).as("both backups held their locks at the same time").isGreaterThanOrEqualTo(2);

        recordSnapshots();
        assertThat(snapshots).containsKeys(a, b);
        assertRestoresIdentical(a);
        assertRestoresIdentical(b);
        Strata.Result check = checkReadData();
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        assertThat(check.out()).contains("no errors were found").doesNotContain("error:");
    }

    /** Each check keeps its own working set: one finishing must not empty the other's. */
    @Test
    @Order(2)
    void twoChecksAtOnce_eachReportsWhatACheckAloneReports() throws Exception {
        Strata.Result alone = checkReadData();
        assertThat(alone.code()).as(alone.out() + alone.err()).isZero();
        String summary = summaryLine(alone.out());

        List<String> outputs = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            try (StrataProcess first = start("check-1-" + round, "check", "--read-data");
                 StrataProcess second = start("check-2-" + round, "check", "--read-data")) {
                int mostLocks = waitAll(first, second);
                assertThat(first.waitFor(Duration.ofSeconds(1))).as(first.output()).isZero();
                assertThat(second.waitFor(Duration.ofSeconds(1))).as(second.output()).isZero();
                assertThat(mostLocks).as("both checks ran at the same time").isGreaterThanOrEqualTo(2);
                outputs.add(first.output());
                outputs.add(second.output());
            }
        }
        for (String out : outputs) {
            assertThat(out).contains("no errors were found").doesNotContain("hold only data no snapshot uses");
            assertThat(summaryLine(out)).isEqualTo(summary);
        }
    }

    /**
     * The backup reads a stream the test feeds, so it is certainly running (and storing packs) for
     * the whole check: 64 MiB before the check starts, 64 MiB while it runs, the rest after it.
     */
    @Test
    @Order(3)
    void checkDuringABackup_isClean_andTheBackupCompletes() throws Exception {
        Random random = new Random(3);
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (StrataProcess backup = StrataProcess.startWithInput(strata, dir.resolve("backup-stdin.log"),
                "backup", "--quiet", "--stdin", "--stdin-filename", "dump.bin")) {
            OutputStream feed = backup.stdin();
            feed(feed, random, sent, 64);
            try (StrataProcess check = start("check-during-backup", "check", "--read-data")) {
                while (check.isAlive()) {
                    feed(feed, random, sent, 4);
                }
                assertThat(check.waitFor(Duration.ofSeconds(1))).as(check.output()).isZero();
                assertThat(check.output()).contains("no errors were found").doesNotContain("error:");
            }
            assertThat(backup.isAlive()).as("the backup was still running: " + backup.output()).isTrue();
            feed(feed, random, sent, 16);
            feed.close();
            assertThat(backup.waitFor(COMMAND_TIMEOUT)).as(backup.output()).isZero();
        }
        Path target = dir.resolve("restored-stdin");
        String id = JSON.readTree(strata.run("snapshots", "--json").ok().out()).findValues("id").stream()
                .map(JsonNode::asText).filter(x -> !snapshots.containsValue(x)).findFirst().orElseThrow();
        strata.run("restore", id, "--target", target.toString()).ok();
        Path dump;
        try (Stream<Path> s = Files.walk(target)) {
            dump = s.filter(p -> p.getFileName().toString().equals("dump.bin")).findFirst().orElseThrow();
        }
        assertThat(HexFormat.of().formatHex(sha256(dump))).isEqualTo(HexFormat.of().formatHex(sent.digest()));
        Strata.Result after = checkReadData();
        assertThat(after.code()).as(after.out() + after.err()).isZero();
    }

    private static void feed(OutputStream out, Random random, MessageDigest digest, int mib) throws IOException {
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < mib; i++) {
            random.nextBytes(block);
            digest.update(block);
            out.write(block);
        }
        out.flush();
    }

    private static byte[] sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return d.digest();
    }

    private static String summaryLine(String out) {
        return out.lines().filter(l -> l.startsWith("checked ")).findFirst().orElseThrow(() -> new AssertionError(out));
    }
}
