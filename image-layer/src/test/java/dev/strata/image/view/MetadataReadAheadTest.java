package dev.strata.image.view;

import dev.strata.core.testing.FaultInjectingBackend.Operation;
import dev.strata.core.view.ViewNode;
import dev.strata.image.DiskTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            assertThat(BrowsedImage.walk(image.disk)).isEqualTo(600);
            assertThat(image.backend.calls(Operation.READ)).as("chunks read by a walk after the read-ahead").isEqualTo(settled);
        }
    }

    @Test
    void walk_overADamagedFolder_listsTheRest_andTheRequestForItStillFails() throws Exception {
        DiskTools.require("mke2fs", "debugfs");
        Path source = dir.resolve("src");
        for (int i = 0; i < 20; i++) {
            Path d = Files.createDirectories(source.resolve(String.format("d%02d/sub", i)));
            Files.writeString(d.resolve("f.txt"), "file " + i);
        }
        BrowsedImage.ImageChange damage = img -> {
            // The folder block of d05 overwritten: its checksum no longer matches (mke2fs enables metadata_csum).
            String[] lines = DiskTools.ok("debugfs", "-R", "blocks /d05", img.toString()).trim().split("\n");
            long block = Long.parseLong(lines[lines.length - 1].trim().split("\\s+")[0]);
            try (FileChannel ch = FileChannel.open(img, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[64]).put(0, (byte) 0x5A), block * 4096 + 32);
            }
        };
        try (BrowsedImage image = BrowsedImage.of(dir, source, "32M", 4L << 20, damage, p -> { })) {
            long settled = SettledReads.of(image.backend);
            ViewNode d05 = image.disk.child("d05").orElseThrow();
            assertThatThrownBy(d05::list).isInstanceOf(IOException.class).hasMessageContaining("checksum");
            assertThat(image.disk.child("d19").orElseThrow().child("sub").orElseThrow().list()).hasSize(1);
            assertThat(image.backend.calls(Operation.READ)).as("the folders after the damaged one were listed ahead").isEqualTo(settled);
        }
    }
}
