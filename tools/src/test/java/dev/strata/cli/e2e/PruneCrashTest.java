package dev.strata.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.cli.CliRunner;
import dev.strata.core.testing.ChildJvm;
import dev.strata.core.testing.RandomData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static dev.strata.cli.e2e.E2e.lastJson;
import static dev.strata.cli.e2e.E2e.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A prune killed with SIGKILL at each of its stages loses nothing: afterwards {@code check
 * --read-data} passes, every kept snapshot restores byte for byte, and a new prune finishes the job
 * and leaves a repository that checks clean with no garbage.
 */
@Timeout(value = 240, unit = java.util.concurrent.TimeUnit.SECONDS)
class PruneCrashTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final int FILES = 8;

    @TempDir
    static Path tmp;
    static Path template;
    /** Kept snapshot id → the files it must restore to. */
    static final Map<String, Map<String, byte[]>> kept = new LinkedHashMap<>();

    /**
     * Four backups of one folder, then forget all but the last two: the first backup's data is partly
     * still used (repack), a big file only the second backup had fills packs nothing uses (delete).
     */
    @BeforeAll
    static void repositoryWithGarbage() throws IOException {
        template = tmp.resolve("template");
        CliRunner cli = E2e.smallRepository(template);
        Path src = tmp.resolve("src");
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < FILES; i++) {
            files.put("f" + i, RandomData.bytes(100 + i, 150_000));
        }
        List<String> ids = new ArrayList<>();
        List<Map<String, byte[]>> versions = new ArrayList<>();
        for (int v = 1; v <= 4; v++) {
            switch (v) {
                case 2 -> {
                    for (int i = 0; i < 4; i++) {
                        files.put("f" + i, RandomData.bytes(200 + i, 150_000));
                    }
                    files.put("temporary.bin", RandomData.bytes(299, 1_300_000));
                }
                case 3 -> {
                    files.remove("temporary.bin");
                    files.put("f0", RandomData.bytes(300, 150_000));
                    files.put("f1", RandomData.bytes(301, 150_000));
                }
                case 4 -> {
                    files.put("f4", RandomData.bytes(404, 150_000));
                    files.put("new", RandomData.text(405, 50_000));
                }
                default -> { }
            }
            write(src, files);
            JsonNode summary = lastJson(ok(cli, "backup", src.toString(), "--json", "--time", "2026-01-0" + v + "T10:00:00Z"));
            ids.add(summary.get("snapshot").asText());
            versions.add(new TreeMap<>(files));
        }
        ok(cli, "forget", "--keep-last", "2");
        kept.put(ids.get(2), versions.get(2));
        kept.put(ids.get(3), versions.get(3));
    }

    @ParameterizedTest(name = "killed at {0} ({1})")
    @CsvSource({
            "mark, entry, 'mark'",
            "plan, entry, 'mark,plan'",
            "repack, entry, 'mark,plan,repack'",
            "repack, mid, 'mark,plan,repack'",
            "condemn, entry, 'mark,plan,repack,condemn'",
            "delete, entry, 'mark,plan,repack,condemn,delete'",
            "delete, mid, 'mark,plan,repack,condemn,delete'",
            "index, entry, 'mark,plan,repack,condemn,delete,index'",
            "cleanup, entry, 'mark,plan,repack,condemn,delete,index,cleanup'"})
    void pruneKilledAtStage_losesNothing_andTheNextPruneFinishes(String stage, String when, String stagesSeen) throws Exception {
        Path dir = tmp.resolve(stage + "-" + when);
        copyTree(template, dir);
        List<String> lines = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(PruneCrashChild.class, dir.resolve("child-log"), dir.toString(), stage, when)) {
            while (true) {
                String line = child.nextLine(CHILD_TIMEOUT);
                if (line == null) {
                    fail("prune child ended or hung before pausing at %s; printed %s; stderr:%n%s", stage, lines, child.stderr());
                }
                if (line.startsWith("finished")) {
                    fail("prune never paused at %s (no work there?); printed %s", stage, lines);
                }
                if (line.equals("paused")) {
                    break;
                }
                lines.add(line);
            }
            child.kill(Duration.ofSeconds(30));
        }
        assertThat(lines.stream().filter(l -> l.startsWith("stage ")).map(l -> l.substring(6)).toList())
                .containsExactly(stagesSeen.split(","));

        CliRunner cli = new CliRunner(dir.resolve("repo"), dir.resolve("cache")).password(dev.strata.core.testing.TestRepositories.PASSWORD);
        ok(cli, "check", "--read-data");
        restoreEveryKeptSnapshot(cli, dir.resolve("restored-after-crash"));

        CliRunner.Result prune = ok(cli, "prune", "--max-unused", "0");
        CliRunner.Result check = ok(cli, "check", "--read-data");
        assertThat(check.out()).as("prune left no garbage: %s\n%s", prune, check).doesNotContain("no snapshot uses");
        JsonNode dry = lastJson(ok(cli, "prune", "--max-unused", "0", "--dry-run", "--json"));
        assertThat(dry.get("chunksUnused").asLong()).as("%s", dry).isZero();
        assertThat(dry.get("packsDeleted").asLong() + dry.get("packsRepacked").asLong()).as("%s", dry).isZero();
        restoreEveryKeptSnapshot(cli, dir.resolve("restored-after-prune"));
    }

    private static void restoreEveryKeptSnapshot(CliRunner cli, Path target) throws IOException {
        JsonNode list = E2e.JSON.readTree(ok(cli, "snapshots", "--json").out());
        List<String> ids = new ArrayList<>();
        list.forEach(s -> ids.add(s.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(kept.keySet());
        for (Map.Entry<String, Map<String, byte[]>> k : kept.entrySet()) {
            Path out = target.resolve(k.getKey().substring(0, 8));
            ok(cli, "restore", k.getKey() + ":" + tmp.resolve("src"), "--target", out.toString());
            Map<String, byte[]> restored = new TreeMap<>();
            try (Stream<Path> s = Files.list(out)) {
                for (Path p : s.toList()) {
                    restored.put(p.getFileName().toString(), Files.readAllBytes(p));
                }
            }
            assertThat(restored.keySet()).isEqualTo(k.getValue().keySet());
            k.getValue().forEach((name, bytes) -> assertThat(restored.get(name)).as("%s in %s", name, k.getKey()).isEqualTo(bytes));
        }
    }

    private static void write(Path src, Map<String, byte[]> files) throws IOException {
        if (Files.exists(src)) {
            try (Stream<Path> s = Files.list(src)) {
                for (Path p : s.toList()) {
                    if (!files.containsKey(p.getFileName().toString())) {
                        Files.delete(p);
                    }
                }
            }
        }
        Files.createDirectories(src);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path p = src.resolve(f.getKey());
            if (!Files.exists(p) || !java.util.Arrays.equals(Files.readAllBytes(p), f.getValue())) {
                Files.write(p, f.getValue());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
    }
}
