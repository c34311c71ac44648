package dev.strata.sync.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LockedListFileTest {
    @TempDir
    Path dir;

    private LockedListFile<String> lines() {
        return new LockedListFile<>(dir.resolve("config"), "names.json", new LockedListFile.Codec<>() {
            @Override
            public byte[] encode(List<String> items) {
                return String.join("\n", items).getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public List<String> decode(byte[] bytes) {
                String s = new String(bytes, StandardCharsets.UTF_8);
                return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
            }
        });
    }

    @Test
    void aMissingFile_isAnEmptyList_andAChangeThatChangesNothing_writesNothing() throws Exception {
        LockedListFile<String> f = lines();
        assertThat(f.list()).isEmpty();
        boolean removed = f.change(items -> items.remove("absent"));
        assertThat(removed).isFalse();
        assertThat(f.file()).doesNotExist();
        f.change(items -> items.add("a"));
        assertThat(f.list()).containsExactly("a");
        assertThat(dir.resolve("config/.names.lock")).exists();
    }

    @Test
    void changesFromManyThreadsAndTwoInstances_areAllKept() throws Exception {
        List<LockedListFile<String>> files = List.of(lines(), lines());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String name = thread + "-" + i;
                        files.get(thread % 2).change(items -> items.add(name));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(lines().list()).hasSize(200).doesNotHaveDuplicates();
        try (Stream<Path> left = Files.list(dir.resolve("config"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("names.json", ".names.lock");
        }
    }
}
