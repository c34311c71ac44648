package dev.strata.fstests;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three devices, each with its own repository, password and mount of one shared volume, syncing over
 * loopback: seeded random creates, edits, renames, moves, deletes and hard links on all three; a
 * partition (one device removes the others as peers and they it) with the same files changed on both
 * sides; a mount killed with SIGKILL while a large file is on its way. Afterwards every replica has
 * the same tree, byte for byte and metadata for metadata; every content saved on any device is in
 * every device's versions; no deleted file came back; the conflicts are the paths the script made
 * conflict. Every mount is unmounted in every case.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SyncThreePeersIT {
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path tmp;

    private final Set<String> saved = new HashSet<>();
    private final Map<Path, Long> lastWrite = new HashMap<>();

    @Test
    void threeReplicas_endIdentical_withEveryContentInEveryHistory_andTheConflictsCaused() throws Exception {
        try (SyncDevice ana = new SyncDevice(tmp.resolve("ana")); SyncDevice bob = new SyncDevice(tmp.resolve("bob"));
             SyncDevice cat = new SyncDevice(tmp.resolve("cat"))) {
            List<SyncDevice> all = List.of(ana, bob, cat);
            Map<SyncDevice, String> ids = new HashMap<>();
            for (SyncDevice d : all) {
                d.run("init");
                ids.put(d, d.id());
            }
            for (SyncDevice d : all) {
                for (SyncDevice o : all) {
                    if (d != o) {
                        d.run("sync", "add-peer", ids.get(o), o.address());
                    }
                }
            }
            ana.run("volume", "create", "docs", "--shareable");
            ana.run("sync", "share", "docs", "--with", ids.get(bob), ids.get(cat));
            bob.run("sync", "join", "docs", "--from", ids.get(ana));
            cat.run("sync", "join", "docs", "--from", ids.get(ana));
            for (SyncDevice d : all) {
                d.start();
            }
            bob.awaitLog("syncing volume docs", WAIT);
            cat.awaitLog("syncing volume docs", WAIT);
            for (SyncDevice d : all) {
                assertThat(d.terminate()).isZero();
            }
            // Joined devices share it with each other too, so that changes travel whichever way is up.
            bob.run("sync", "share", "docs", "--with", ids.get(ana), ids.get(cat));
            cat.run("sync", "share", "docs", "--with", ids.get(ana), ids.get(bob));

            Map<SyncDevice, MountProcess> mounts = new HashMap<>();
            try {
                for (SyncDevice d : all) {
                    mounts.put(d, mount(d));
                }
                Random random = new Random(20261207);
                // Connected: each device works in a folder of its own, and all in shared/.
                for (SyncDevice d : all) {
                    Files.createDirectories(vol(mounts, d).resolve(d.dir.getFileName().toString()));
                }
                Files.createDirectories(vol(mounts, ana).resolve("shared"));
                for (int i = 0; i < 6; i++) {
                    write(vol(mounts, ana).resolve("shared/s" + i), random, 20_000);
                }
                awaitIdentical(mounts, all);
                for (int round = 0; round < 60; round++) {
                    SyncDevice d = all.get(random.nextInt(3));
                    randomOperation(vol(mounts, d).resolve(d.dir.getFileName().toString()), random, false);
                    // Paced so that each content reaches the peers before the next change may replace it:
                    // a content replaced sooner is only in the history of the device that saved it (docs/sync.md).
                    Thread.sleep(200);
                }
                awaitIdentical(mounts, all);

                // Partition: bob on one side, ana and cat on the other.
                partition(bob, List.of(ana, cat), ids, true);
                Thread.sleep(1500);
                Set<String> caused = new TreeSet<>();
                write(vol(mounts, ana).resolve("shared/s0"), random, 30_000);
                write(vol(mounts, bob).resolve("shared/s0"), random, 30_000);
                caused.add("shared/s0");
                write(vol(mounts, cat).resolve("shared/s1"), random, 30_000);
                write(vol(mounts, bob).resolve("shared/s1"), random, 30_000);
                caused.add("shared/s1");
                Files.delete(vol(mounts, ana).resolve("shared/s2")); // deleted on one side, edited on the other:
                write(vol(mounts, bob).resolve("shared/s2"), random, 30_000); // the edit stays
                caused.add("shared/s2");
                Files.delete(vol(mounts, bob).resolve("shared/s3")); // deleted on one side only: stays deleted
                write(vol(mounts, bob).resolve("shared/new-b"), random, 5_000);
                for (int round = 0; round < 20; round++) {
                    SyncDevice d = all.get(random.nextInt(3));
                    randomOperation(vol(mounts, d).resolve(d.dir.getFileName().toString()), random, true);
                }
                partition(bob, List.of(ana, cat), ids, false);
                awaitIdentical(mounts, all);
                assertThat(vol(mounts, ana).resolve("shared/s3")).as("a deleted file does not come back").doesNotExist();
                assertThat(vol(mounts, cat).resolve("shared/s2")).exists();

                // A large file on its way to cat when cat's mount is killed: it arrives after cat is back.
                MountProcess catMount = mounts.get(cat);
                byte[] large = new byte[24_000_000];
                random.nextBytes(large);
                save(vol(mounts, ana).resolve("shared/large.bin"), large);
                Thread.sleep(100); // its chunks are on their way (tens of MB, verified one by one on arrival)
                catMount.kill();
                mounts.put(cat, mount(cat));
                awaitIdentical(mounts, all);

                Set<String> conflicts = new TreeSet<>();
                for (SyncDevice d : all) {
                    conflicts.addAll(conflictPaths(d));
                }
                StringBuilder logs = new StringBuilder();
                for (SyncDevice d : all) {
                    logs.append("\n--- ").append(d.dir.getFileName()).append('\n').append(mounts.get(d).log());
                    logs.append("\nconflicts: ").append(d.run("sync", "conflicts", "--json"));
                    try (Stream<Path> w = Files.walk(d.dir.resolve("state"), 2)) {
                        logs.append("\nstate: ").append(w.toList());
                    }
                }
                assertThat(conflicts).as("the conflicts are those the script caused" + logs).isEqualTo(caused);
            } finally {
                for (MountProcess m : mounts.values()) {
                    m.close();
                }
            }
            // Every content saved anywhere is in every device's history.
            for (SyncDevice d : all) {
                try (MountProcess whole = MountProcess.start(new Strata(d.dir), d.dir.resolve("whole"), d.env(),
                        "--sync-listen", "127.0.0.1:0")) {
                    Set<String> history = digests(whole.mountpoint.resolve("versions/volume-docs"));
                    Set<String> missing = new TreeSet<>(saved);
                    missing.removeAll(history);
                    assertThat(missing).as("contents missing from the versions of " + d.dir.getFileName()).isEmpty();
                }
            }
        }
    }

    private static Path vol(Map<SyncDevice, MountProcess> mounts, SyncDevice d) {
        return mounts.get(d).mountpoint;
    }

    private static MountProcess mount(SyncDevice d) throws IOException, InterruptedException {
        return MountProcess.start(new Strata(d.dir), d.dir.resolve("mnt"), d.env(), "--volume", "docs", "--sync-listen",
                d.address());
    }

    /** Cuts (or heals) the links between {@code alone} and {@code others}: both sides remove (add) each other. */
    private static void partition(SyncDevice alone, List<SyncDevice> others, Map<SyncDevice, String> ids, boolean cut) {
        for (SyncDevice o : others) {
            if (cut) {
                alone.run("sync", "remove-peer", ids.get(o));
                o.run("sync", "remove-peer", ids.get(alone));
            } else {
                alone.run("sync", "add-peer", ids.get(o), o.address());
                o.run("sync", "add-peer", ids.get(alone), alone.address());
            }
        }
    }

    /**
     * One seeded operation in {@code folder}: create, edit, rename, move, delete or hard link; while
     * {@code apart}, renames, moves and hard links only besides creations (no content is replaced
     * before the peers can have it).
     */
    private void randomOperation(Path folder, Random random, boolean apart) throws IOException, InterruptedException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(folder)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        files.sort(null);
        int op = files.isEmpty() ? 0 : random.nextInt(6);
        if (apart && (op == 1 || op == 4)) {
            op = 0;
        }
        Path f = files.isEmpty() ? null : files.get(random.nextInt(files.size()));
        switch (op) {
            case 0 -> write(folder.resolve("n" + random.nextInt(1_000_000)), random, 100_000);
            case 1 -> write(f, random, 100_000);
            case 2 -> Files.move(f, f.resolveSibling("r" + random.nextInt(1_000_000)), StandardCopyOption.ATOMIC_MOVE);
            case 3 -> {
                Path sub = Files.createDirectories(folder.resolve("sub" + random.nextInt(3)));
                Files.move(f, sub.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
            case 4 -> Files.delete(f);
            default -> {
                Path link = f.resolveSibling("l" + random.nextInt(1_000_000));
                if (!Files.exists(link)) {
                    Files.createLink(link, f);
                }
            }
        }
    }

    /**
     * Writes random bytes to {@code file} (a new version), noting its digest. A file is not written
     * again within a second: a version replaced sooner than the peers are sent it travels as the
     * later one only (docs/sync.md).
     */
    private void write(Path file, Random random, int maxSize) throws IOException, InterruptedException {
        byte[] b = new byte[1 + random.nextInt(maxSize)];
        random.nextBytes(b);
        save(file, b);
    }

    private void save(Path file, byte[] b) throws IOException, InterruptedException {
        Long last = lastWrite.get(file);
        if (last != null && System.nanoTime() - last < 1_000_000_000L) {
            Thread.sleep(1000);
        }
        Files.write(file, b);
        lastWrite.put(file, System.nanoTime());
        saved.add(sha(b));
    }

    private static void awaitIdentical(Map<SyncDevice, MountProcess> mounts, List<SyncDevice> all) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> diffs = List.of();
        while (System.nanoTime() < deadline) {
            diffs = new ArrayList<>();
            try {
                for (SyncDevice d : all.subList(1, all.size())) {
                    for (String line : TreeCompare.differences(vol(mounts, all.get(0)), vol(mounts, d))) {
                        if (!line.startsWith(": ")) { // the volume root's own metadata does not travel
                            diffs.add(d.dir.getFileName() + ": " + line);
                        }
                    }
                }
            } catch (IOException changing) {
                diffs.add("changing while compared: " + changing);
            }
            if (diffs.isEmpty()) {
                return;
            }
            Thread.sleep(500);
        }
        StringBuilder logs = new StringBuilder();
        for (SyncDevice d : all) {
            logs.append("\n--- ").append(d.dir.getFileName()).append('\n').append(mounts.get(d).log());
        }
        throw new AssertionError("replicas differ: " + diffs + logs);
    }

    private static Set<String> conflictPaths(SyncDevice d) throws IOException {
        Set<String> out = new TreeSet<>();
        for (var n : new com.fasterxml.jackson.databind.ObjectMapper().readTree(d.run("sync", "conflicts", "--json"))) {
            out.add(n.path("path").asText());
        }
        return out;
    }

    private static Set<String> digests(Path root) throws IOException {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                out.add(sha(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
