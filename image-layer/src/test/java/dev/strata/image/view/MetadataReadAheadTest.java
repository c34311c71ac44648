package dev.strata.image.view;

import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.tree.NodeType;
import dev.strata.core.view.DirEntry;
import dev.strata.core.view.ViewNode;
import dev.strata.image.DiskTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The folders of a browsed image are listed ahead, from when its snapshot folder is first looked into. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MetadataReadAheadTest {
    @TempDir
    Path dir;

    @Test
    void walk_afterTheImageIsOpened_findsEveryFolderListed_andReadsNoChunk() throws Exception {
        DiskTools.require("mke2fs");
        Path source = dir.resolve("src");
        for (int i = 0; i < 200; i++) {
            Path d = Files.createDirectories(source.resolve(String.format("d%03d/sub", i)));
            Files.writeString(d.resolve("f.txt"), "file " + i);
        }
        try (BrowsedImage image = BrowsedImage.of(dir, source, "32M", 4L << 20)) {
            long settled = SettledReads.of(image.backend);
            assertThat(settled).as("the read-ahead read the folders' chunks").isGreaterThan(image.readsBeforeBrowsing);
            assertThat(walk(image.disk)).isEqualTo(600);
            assertThat(image.backend.calls(Operation.READ)).as("chunks read by a walk after the read-ahead").isEqualTo(settled);
        }
    }

    /** Lists every folder below {@code dir} as find does, lost+found aside; the entries seen. */
    private static int walk(ViewNode dir) throws Exception {
        int n = 0;
        for (DirEntry e : dir.list()) {
            if (e.name().equals("lost+found")) {
                continue;
            }
            n++;
            if (e.attributes().type() == NodeType.DIRECTORY) {
                n += walk(dir.child(e.name()).orElseThrow());
            }
        }
        return n;
    }
}
