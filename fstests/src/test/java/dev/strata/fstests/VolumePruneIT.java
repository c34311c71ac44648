package dev.strata.fstests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prune while a live volume is mounted and written (docs/format.md §7.1): the data of a forgotten
 * backup is condemned and deleted once the volume knows, while the volume, written meanwhile with
 * the very bytes being condemned, keeps every file and version; and when the mount is killed while
 * prune waits for it, nothing goes until it is mounted again.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VolumePruneIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The mount looks for condemnations this often (seconds): long enough to write before it knows. */
    private static final Map<String, String> ENV = Map.of("STRATA_CONDEMNATION_POLL_SECONDS", "3");

    private Path dir;
    private LiveMount mount;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private byte[] forgotten;
    /** Packs deleted by every prune of the test so far. */
    private int deleted;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("strata-volume-prune");
        mount = LiveMount.create(dir.resolve("volume"), ENV);
        Random random = new Random(5);
        for (int i = 0; i < 12; i++) {
            byte[] b = new byte[50_000 + random.nextInt(300_000)];
            random.nextBytes(b);
            files.put("f" + i, b);
            Io.writeDurably(mount.volume().resolve("f" + i), b);
        }
        // A backup whose only file nothing else has, then forgotten: its data is garbage.
        Path source = dir.resolve("source");
        Files.createDirectories(source);
        forgotten = new byte[2_000_000];
        random.nextBytes(forgotten);
        Files.write(source.resolve("forgotten.bin"), forgotten);
        String id = json(mount.strata.run("backup", "--json", source.toString()).ok().out()).get("snapshot").asText();
        mount.strata.run("forget", id).ok();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (mount != null) {
            mount.close();
        }
        TempDirs.delete(dir);
    }

    @Test
    void pruneWhileTheVolumeIsWritten_withTheVeryBytesItCondemns_losesNothing() throws Exception {
        JsonNode first = prune();
        // Written right after the condemnation, before the mount looks for it: it may refer to the
        // condemned copies, and then prune must keep them.
        Io.writeDurably(mount.volume().resolve("again.bin"), forgotten);
        files.put("again.bin", forgotten);
        byte[] edited = files.get("f3").clone();
        edited[100] ^= 1;
        Io.writeDurably(mount.volume().resolve("f3"), edited);
        files.put("f3", edited);

        JsonNode last = pruneUntilNothingWaits(first);
        assertThat(last.get("packsWaiting").asInt()).as("%s", last).isZero();
        assertVolumeHoldsItsFiles();
        VersionsCheck.readsBack(mount.versions(), files.size() + 1);
        assertThat(deleted).as("the forgotten backup's packs went: %s, %s", first, last).isPositive();

        mount.unmount();
        Strata.Result check = mount.strata.run("check", "--read-data");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
        mount.mount(ENV);
        assertVolumeHoldsItsFiles();
    }

    @Test
    void aMountKilledWhilePruneWaitsForIt_holdsTheDeletionBack_untilItIsMountedAgain() throws Exception {
        JsonNode first = prune();
        Io.writeDurably(mount.volume().resolve("again.bin"), forgotten);
        files.put("again.bin", forgotten);
        mount.kill();

        JsonNode whileDead = prune();
        if (first.get("packsWaiting").asInt() > 0 || whileDead.get("packsWaiting").asInt() > 0) {
            // The volume had not learned the condemnation when it died: its lease holds the packs back.
            assertThat(whileDead.get("packsWaiting").asInt()).as("%s", whileDead).isPositive();
            assertThat(whileDead.get("waitingFor").toString()).contains("volume " + LiveMount.VOLUME);
        }
        assertThat(mount.strata.run("check", "--read-data").code()).as("nothing the volume refers to is gone").isZero();

        mount.mount(ENV);
        assertThat(mount.log()).as("the volume is checkpointed as it opens").contains("ended without closing it");
        JsonNode after = pruneUntilNothingWaits(whileDead);
        assertThat(after.get("packsWaiting").asInt()).as("%s", after).isZero();
        assertVolumeHoldsItsFiles();
        VersionsCheck.readsBack(mount.versions(), files.size());
        mount.unmount();
        Strata.Result check = mount.strata.run("check", "--read-data");
        assertThat(check.code()).as(check.out() + check.err()).isZero();
    }

    @Test
    void aMountHaltedBetweenItsCheckpointAndItsLease_losesNothing_andPruneFinishesAfterTheRemount() throws Exception {
        mount.unmount();
        Map<String, String> crash = new java.util.HashMap<>(ENV);
        crash.put("STRATA_CRASH_AT", dev.strata.volume.fault.CrashPoints.CONDEMNATION_CHECKPOINTED);
        mount.mount(crash);
        byte[] late = new byte[300_000];
        new Random(9).nextBytes(late);
        Io.writeDurably(mount.volume().resolve("late.bin"), late);
        files.put("late.bin", late);
        JsonNode first = prune();
        assertThat(first.get("packsWaiting").asInt()).as("the volume's new chunks are in no checkpoint: %s", first).isPositive();
        assertThat(mount.process().awaitExit(60_000)).as("the mount halted at its crash point").isTrue();
        assertThat(mount.log()).contains("crash point " + dev.strata.volume.fault.CrashPoints.CONDEMNATION_CHECKPOINTED);
        mount.process().clearDeadMount();

        JsonNode whileDead = prune();
        assertThat(whileDead.get("packsWaiting").asInt()).as("%s", whileDead).isPositive();
        assertThat(whileDead.get("waitingFor").toString()).contains("volume " + LiveMount.VOLUME);
        Strata.Result check = mount.strata.run("check", "--read-data");
        assertThat(check.code()).as(check.out() + check.err()).isZero();

        mount.mount(ENV);
        JsonNode after = pruneUntilNothingWaits(whileDead);
        assertThat(after.get("packsWaiting").asInt()).as("%s", after).isZero();
        assertVolumeHoldsItsFiles();
        VersionsCheck.readsBack(mount.versions(), files.size());
    }

    private void assertVolumeHoldsItsFiles() throws IOException {
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            assertThat(Files.readAllBytes(mount.volume().resolve(e.getKey()))).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    private JsonNode pruneUntilNothingWaits(JsonNode last) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode r = last;
        while (r.get("packsWaiting").asInt() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            r = prune();
        }
        return r;
    }

    private JsonNode prune() throws IOException {
        JsonNode r = json(mount.strata.run("prune", "--json").ok().out());
        deleted += r.get("packsDeleted").asInt();
        return r;
    }

    private static JsonNode json(String out) throws IOException {
        List<String> lines = out.strip().lines().toList();
        return JSON.readTree(lines.get(lines.size() - 1));
    }
}
