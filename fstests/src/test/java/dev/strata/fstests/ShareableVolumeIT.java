package dev.strata.fstests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shareable volume (keys of its own, docs/format.md §2.4) written through a real mount: its data is
 * in packs naming its key, deduplicates against nothing else in the repository, and `check
 * --read-data`, prune, restore and the versions treat it as any other.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ShareableVolumeIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path dir;
    private LiveMount mount;
    private final Map<String, byte[]> files = new LinkedHashMap<>();

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("strata-shareable");
        mount = LiveMount.create(dir.resolve("volume"), Map.of(), List.of("--shareable"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mount != null) {
            mount.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void aShareableVolume_isCheckedPrunedRestoredAndVersioned_underItsOwnKey() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 6; i++) {
            byte[] b = new byte[100_000 + random.nextInt(2_000_000)];
            random.nextBytes(b);
            files.put("f" + i, b);
            Io.writeDurably(mount.volume().resolve("f" + i), b);
        }
        byte[] edited = files.get("f2").clone();
        edited[10] ^= 1;
        Io.writeDurably(mount.volume().resolve("f2"), edited);
        files.put("f2", edited);
        mount.unmount();

        assertThat(packVersions()).as("the volume's data is in packs naming its key").contains(2);
        // The same bytes backed up are stored again: they are named under the repository's key.
        Path source = dir.resolve("source");
        Files.createDirectories(source);
        Files.write(source.resolve("f0"), files.get("f0"));
        JsonNode backup = json(mount.strata.run("backup", "--json", source.toString()).ok().out());
        assertThat(backup.path("bytesAdded").asLong()).as("%s", backup)
                .isGreaterThanOrEqualTo(files.get("f0").length);
        mount.strata.run("forget", backup.get("snapshot").asText()).ok();

        Strata.Result check = mount.strata.run("check", "--read-data");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        JsonNode prune = json(mount.strata.run("prune", "--json").ok().out());
        assertThat(prune.get("packsDeleted").asInt()).as("the forgotten backup's data goes: %s", prune).isPositive();
        check = mount.strata.run("check", "--read-data");
        assertThat(check.code()).as("after prune: " + check.out() + check.err()).isZero();
        assertThat(packVersions()).as("prune kept the volume's packs").contains(2);

        Path target = dir.resolve("restored");
        mount.strata.run("restore", "latest:/live", "--verify", "--target", target.toString()).ok();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertThat(Files.readAllBytes(target.resolve(e.getKey()))).as("restored " + e.getKey()).isEqualTo(e.getValue());
        }

        mount.mount(Map.of());
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertThat(Files.readAllBytes(mount.volume().resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
        VersionsCheck.readsBack(mount.versions(), files.size() + 1);
    }

    /** The format version byte of every pack in the repository. */
    private List<Integer> packVersions() throws IOException {
        try (Stream<Path> walk = Files.walk(mount.strata.repo.resolve("data"))) {
            return walk.filter(Files::isRegularFile).map(p -> {
                try (InputStream in = Files.newInputStream(p)) {
                    return in.readNBytes(9)[8] & 0xFF;
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).toList();
        }
    }

    private static JsonNode json(String out) throws IOException {
        List<String> lines = out.strip().lines().toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }
}
