package dev.strata.volume.view;

import dev.strata.core.view.OpenFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static dev.strata.volume.view.TestVolume.ME;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the volume counts towards a burst: deletions (unlink, rmdir) and overwrites (a version over
 * content the file had, a rename over a file, a truncation into its content), and what it does not
 * (new files, appending, writing the same bytes, renaming to a free name).
 */
class BurstCountingTest {
    @TempDir
    Path dir;
    private TestVolume v;

    @BeforeEach
    void open() throws IOException {
        v = new TestVolume(dir, 5);
    }

    @AfterEach
    void close() throws IOException {
        v.close();
    }

    @Test
    void deletionsAndOverwrites_count_andEverydayChanges_doNot() throws IOException {
        for (String name : new String[]{"a", "b", "c", "d", "e", "log"}) {
            TestVolume.write(v.root(), name, "content of " + name);
        }
        v.root().mkdir("empty", 0755, ME);
        // None of these counts.
        TestVolume.write(v.root(), "new", "a new file");
        try (OpenFile f = v.child("log").openForWriting()) {
            f.write(v.child("log").attributes().size(), bytes(" and more"), 0, 9);
        }
        try (OpenFile f = v.child("a").openForWriting()) {
            f.write(0, bytes("content of a"), 0, 12);
        }
        v.root().rename("new", v.root(), "renamed");
        v.root().create("tmp", 0644, ME).close();
        v.root().rename("tmp", v.root(), "tmp2");
        assertThat(v.log).isEmpty();
        // Five that do.
        v.root().remove("b", false);
        v.root().remove("empty", true);
        TestVolume.write(v.root(), "c.tmp", "new content of c");
        v.root().rename("c.tmp", v.root(), "c");
        try (OpenFile f = v.child("d").openForWriting()) {
            f.write(0, bytes("D"), 0, 1);
        }
        assertThat(v.log).as("four files so far").isEmpty();
        OpenFile truncated = v.child("e").openForWriting();
        truncated.truncate(0);
        assertThat(v.log).singleElement().asString()
                .startsWith("volume docs: 5 files deleted or overwritten since ")
                .contains("(2 deleted, 3 overwritten)")
                .contains("strata volume rollback docs --to '");
        truncated.close();
        v.root().remove("a", false);
        assertThat(v.log).as("the burst goes on, quietly").hasSize(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
