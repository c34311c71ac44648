package dev.strata.sync.volumes;

import dev.strata.core.tree.FileContent;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Timestamp;
import dev.strata.volume.state.SyncRecord;
import dev.strata.volume.state.VersionVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConflictLogTest {
    @TempDir
    Path dir;

    private static SyncRecord file(long author, long size) {
        return new SyncRecord("a/f".getBytes(StandardCharsets.UTF_8), false, NodeType.FILE, 0644, 0, 0,
                new Timestamp(100, 0), size, FileContent.EMPTY, new byte[0], List.of(), 0, author,
                VersionVector.EMPTY.bump(author, 1), 1);
    }

    @Test
    void aConflictNoted_isListed_andALineCutShortIsSkipped() throws Exception {
        ConflictLog log = new ConflictLog(dir.resolve("sync"));
        assertThat(log.list()).isEmpty();
        assertThat(log.decided("docs", file(1, 10), file(2, 20), true, Instant.parse("2026-12-07T00:00:00Z"), why -> { }))
                .isTrue();
        Files.writeString(dir.resolve("sync/conflicts.jsonl"), "{\"volume\":\"do", java.nio.file.StandardOpenOption.APPEND);
        List<ConflictLog.Entry> all = log.list();
        assertThat(all).singleElement().satisfies(e -> {
            assertThat(e.volume()).isEqualTo("docs");
            assertThat(e.path()).isEqualTo("a/f");
            assertThat(e.keptHere()).isTrue();
            assertThat(e.lostSize()).isEqualTo(20);
        });
    }
}
