package dev.strata.fstests;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The burst warning through a real mount: a mass deletion is one warning in the mount's log, whose
 * printed rollback command, run as it is, brings every file back byte-identical.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BurstWarningIT {
    private static final Pattern WARNING = Pattern.compile("files deleted or overwritten since");
    private static final Pattern COMMAND = Pattern.compile("(strata volume rollback .*)$", Pattern.MULTILINE);

    private Path dir;
    private LiveMount mount;

    @AfterEach
    void tearDown() throws Exception {
        if (mount != null) {
            mount.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void aMassDelete_isOneWarning_andItsRollbackCommandBringsEveryFileBackByteIdentical() throws Exception {
        dir = Files.createTempDirectory("strata-burst");
        mount = LiveMount.create(dir.resolve("volume"), Map.of(), List.of("--burst-files", "100", "--burst-window", "60"));
        String info = mount.strata.run("volume", "info", LiveMount.VOLUME).ok().out();
        assertThat(info).contains("burst warning    100 files deleted or overwritten within 1 minute");
        Path vol = mount.volume();
        Map<String, byte[]> before = new TreeMap<>();
        Random random = new Random(17);
        for (String folder : List.of("", "docs/", "docs/2026/", "photos/")) {
            Files.createDirectories(vol.resolve(folder.isEmpty() ? "." : folder));
            for (int i = 0; i < 40; i++) {
                byte[] data = new byte[random.nextInt(3) == 0 ? random.nextInt(300_000) : random.nextInt(5_000)];
                random.nextBytes(data);
                String path = folder + "file-" + i + ".bin";
                Files.write(vol.resolve(path), data);
                before.put(path, data);
            }
        }
        assertThat(warnings()).isZero();
        // The mass deletion: every file and folder, as rm -rf does it.
        for (String top : List.of("docs", "photos")) {
            deleteTree(vol.resolve(top));
        }
        for (String path : before.keySet()) {
            Files.deleteIfExists(vol.resolve(path));
        }
        assertThat(list(vol)).isEmpty();
        for (long t0 = System.nanoTime(); warnings() == 0 && System.nanoTime() - t0 < 5_000_000_000L; ) {
            Thread.sleep(20); // the log is a file the mount process writes
        }
        assertThat(warnings()).as("one warning for 163 deletions:\n" + mount.log()).isEqualTo(1);
        Matcher m = COMMAND.matcher(mount.log());
        assertThat(m.find()).as(mount.log()).isTrue();
        System.out.println("the warning's command: " + m.group(1));
        List<String> command = ShellLine.words(m.group(1));
        assertThat(command.subList(0, 4)).containsExactly("strata", "volume", "rollback", LiveMount.VOLUME);

        mount.unmount();
        String out = mount.strata.run(command.subList(1, command.size()).toArray(String[]::new)).ok().out();
        assertThat(out).contains("files restored");
        mount.mount(Map.of());
        vol = mount.volume();
        for (Map.Entry<String, byte[]> e : before.entrySet()) {
            assertThat(Files.readAllBytes(vol.resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(count(vol)).as("every file, nothing more").isEqualTo(before.size());
        assertThat(warnings()).as("the rollback and remount warn of nothing more").isEqualTo(1);
        mount.strata.run("check", "--read-data").ok();
    }

    private int warnings() {
        return (int) WARNING.matcher(mount.log()).results().count();
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.sorted().toList();
        } catch (NoSuchFileException none) {
            return List.of();
        }
    }

    private static long count(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    /** Splits a command line printed for a POSIX shell into its words (plain words and single quotes). */
    static final class ShellLine {
        private ShellLine() {
        }

        static List<String> words(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder word = null;
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '\'') {
                        quoted = false;
                    } else {
                        word.append(c);
                    }
                } else if (c == '\'') {
                    quoted = true;
                    word = word == null ? new StringBuilder() : word;
                } else if (c == '\\' && i + 1 < line.length()) {
                    word = word == null ? new StringBuilder() : word;
                    word.append(line.charAt(++i));
                } else if (Character.isWhitespace(c)) {
                    if (word != null) {
                        out.add(word.toString());
                        word = null;
                    }
                } else {
                    word = word == null ? new StringBuilder() : word;
                    word.append(c);
                }
            }
            if (quoted) {
                throw new IllegalArgumentException("unbalanced quote in: " + line);
            }
            if (word != null) {
                out.add(word.toString());
            }
            return out;
        }
    }
}
