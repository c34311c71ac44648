package dev.strata.image.browse;

import dev.strata.core.testing.RandomData;
import dev.strata.core.tree.NodeType;
import dev.strata.image.DiskTools;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

public class FatFsTest {
    @TempDir
    static Path tmp;
    static Path source;

    @BeforeAll
    static void fixture() throws Exception {
        DiskTools.require("mkfs.vfat", "mcopy");
        source = fatFixture(tmp.resolve("src"));
    }

    /** Short and long names (several entries long, non-ASCII), nested folders, a folder over several clusters. */
    public static Path fatFixture(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("Sub Folder/inner"));
        Files.createDirectories(dir.resolve("many"));
        Files.createDirectories(dir.resolve("EMPTYDIR"));
        Files.write(dir.resolve("README.TXT"), RandomData.text(21, 2000));
        Files.write(dir.resolve("lower.txt"), "lower\n".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("A long name with spaces and Ünïcødé ✓.txt"), RandomData.text(22, 100));
        Files.write(dir.resolve("name-longer-than-thirteen-characters-spanning-several-entries.dat"), RandomData.bytes(23, 4096));
        Files.write(dir.resolve("Sub Folder/inner/deep.bin"), RandomData.bytes(24, 300_000));
        Files.write(dir.resolve("empty.txt"), new byte[0]);
        for (int i = 0; i < 300; i++) {
            Files.write(dir.resolve("many/entry number " + i + ".txt"), Integer.toString(i).getBytes(StandardCharsets.US_ASCII));
        }
        return dir;
    }

    public static Path image(Path img, Path from, int bits, int mib) throws Exception {
        Files.deleteIfExists(img);
        DiskTools.ok("mkfs.vfat", "-F", String.valueOf(bits), "-i", "12345678", "-C", img.toString(), String.valueOf(mib * 1024));
        try (Stream<Path> files = Files.list(from)) {
            for (Path p : files.sorted().toList()) {
                DiskTools.Run r = DiskTools.run(Map.of("TZ", "UTC", "LC_ALL", "C.UTF-8"), "mcopy", "-s", "-m", "-i", img.toString(), p.toString(), "::/");
                assertThat(r.code()).as(r.out()).isZero();
            }
        }
        return img;
    }

    @ParameterizedTest
    @ValueSource(ints = {12, 16, 32})
    void everyFileMatchesTheSource(int bits) throws Exception {
        Path img = image(tmp.resolve("fat" + bits + ".img"), source, bits, bits == 12 ? 4 : bits == 16 ? 32 : 64);
        try (FileSource src = FileSource.of(img)) {
            // mcopy wrote the times in UTC (TZ=UTC).
            BrowsableFs fs = BrowsableFilesystems.open(src, ZoneOffset.UTC);
            assertThat(fs.kind()).isEqualTo("fat" + bits);
            Map<String, FsNode> got = new TreeMap<>(FsTrees.walk(fs));
            Map<String, Path> expected = new TreeMap<>();
            try (Stream<Path> s = Files.walk(source)) {
                s.forEach(p -> expected.put(source.relativize(p).toString(), p));
            }
            assertThat(got.keySet()).containsExactlyElementsOf(expected.keySet());
            for (Map.Entry<String, Path> e : expected.entrySet()) {
                FsNode n = got.get(e.getKey());
                Path p = e.getValue();
                if (Files.isDirectory(p)) {
                    assertThat(n.type()).as(e.getKey()).isEqualTo(NodeType.DIRECTORY);
                    continue;
                }
                assertThat(n.type()).as(e.getKey()).isEqualTo(NodeType.FILE);
                assertThat(n.size()).as(e.getKey()).isEqualTo(Files.size(p));
                assertThat(DiskTools.sha256(FsTrees.content(fs, n, n.size()))).as(e.getKey()).isEqualTo(DiskTools.sha256(p));
                FsTrees.checkRuns(src, fs, n, e.getKey());
                long source = Files.getLastModifiedTime(p).toInstant().getEpochSecond();
                assertThat(n.mtime().seconds()).as(e.getKey()).isBetween(source - 2, source + 2);
                assertThat(n.mode()).isEqualTo(0644);
            }
        }
    }

    /**
     * FAT keeps local wall-clock time: a file copied in by a machine in New York reads back at its
     * true instant when read in that zone (summer and winter offsets alike), and shifted by the
     * offset when read in another.
     */
    @Test
    void times_areLocalTime_readInTheZoneTheyAreOpenedWith() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("tz-src"));
        Instant summer = Instant.parse("2024-07-01T12:00:00Z");
        Instant winter = Instant.parse("2024-01-15T12:00:00Z");
        Files.write(dir.resolve("summer.txt"), "s".getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("winter.txt"), "w".getBytes(StandardCharsets.US_ASCII));
        Files.setLastModifiedTime(dir.resolve("summer.txt"), FileTime.from(summer));
        Files.setLastModifiedTime(dir.resolve("winter.txt"), FileTime.from(winter));
        Path img = tmp.resolve("tz.img");
        Files.deleteIfExists(img);
        DiskTools.ok("mkfs.vfat", "-F", "16", "-C", img.toString(), "32768");
        for (String name : new String[]{"summer.txt", "winter.txt"}) {
            DiskTools.Run r = DiskTools.run(Map.of("TZ", "America/New_York"), "mcopy", "-m", "-i", img.toString(),
                    dir.resolve(name).toString(), "::/");
            assertThat(r.code()).as(r.out()).isZero();
        }
        try (FileSource src = FileSource.of(img)) {
            Map<String, FsNode> inNewYork = FsTrees.walk(BrowsableFilesystems.open(src, ZoneId.of("America/New_York")));
            Map<String, FsNode> inUtc = FsTrees.walk(BrowsableFilesystems.open(src, ZoneOffset.UTC));

            assertThat(inNewYork.get("summer.txt").mtime().seconds()).isEqualTo(summer.getEpochSecond());
            assertThat(inNewYork.get("winter.txt").mtime().seconds()).isEqualTo(winter.getEpochSecond());
            assertThat(inUtc.get("summer.txt").mtime().seconds()).isEqualTo(summer.getEpochSecond() - 4 * 3600);
            assertThat(inUtc.get("winter.txt").mtime().seconds()).isEqualTo(winter.getEpochSecond() - 5 * 3600);
        }
    }
}
