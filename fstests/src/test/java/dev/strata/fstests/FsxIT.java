package dev.strata.fstests;

import dev.strata.fuse.FuseMount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random operations on files of a mounted live volume, compared with a model after every step
 * ({@link Fsx}): three seeds of 10,000 operations on one file each, and several writers on files of
 * their own while readers read files that must not change and the files being written. Any
 * mismatch fails with its seed. {@code -Dfsx.operations=N} changes the count.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FsxIT {
    private static final long OPERATIONS = Long.getLong("fsx.operations", 10_000);

    private Path dir;
    private LiveMount mount;

    @BeforeAll
    void mountAVolume() throws Exception {
        dir = Files.createTempDirectory("strata-fsx");
        mount = LiveMount.create(dir.resolve("volume"));
    }

    @AfterAll
    void unmount() throws Exception {
        if (mount != null) {
            mount.close();
            assertThat(FuseMount.isMounted(mount.dir.resolve("mnt"))).isFalse();
        }
        TempDirs.delete(dir);
    }

    @Test
    void theTesterItself_agreesWithTheLocalDisk() throws Exception {
        Fsx fsx = new Fsx(Files.createDirectories(dir.resolve("local")).resolve("fsx"), 7);
        fsx.run(Math.min(OPERATIONS, 3_000));
        System.out.println("fsx on the local disk, " + fsx.summary());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void randomOperationsOnOneFile_matchTheModel(long seed) throws Exception {
        Fsx fsx = new Fsx(mount.volume().resolve("fsx-" + seed), seed);
        long start = System.nanoTime();
        try {
            fsx.run(OPERATIONS);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nmount log:\n" + mount.log(), e);
        }
        System.out.printf("fsx on the live volume, %s, %.1f s%n", fsx.summary(), (System.nanoTime() - start) / 1e9);
    }

    @Test
    void severalWriters_onFilesOfTheirOwn_whileReadersRead() throws Exception {
        int writers = 4;
        int readers = 2;
        Path folder = Files.createDirectories(mount.volume().resolve("concurrent"));
        List<byte[]> stillContents = new ArrayList<>();
        List<Path> still = new ArrayList<>();
        Random r = new Random(99);
        for (int i = 0; i < 3; i++) {
            byte[] b = new byte[(1 << 20) + r.nextInt(2 << 20)];
            r.nextBytes(b);
            still.add(Files.write(folder.resolve("still-" + i), b));
            stillContents.add(b);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers + readers);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong reads = new AtomicLong();
        try {
            List<Future<String>> writes = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long seed = 100 + w;
                Fsx fsx = new Fsx(folder.resolve("busy-" + w), seed);
                writes.add(pool.submit(() -> {
                    fsx.run(OPERATIONS / writers);
                    return fsx.summary();
                }));
            }
            List<Future<?>> reading = new ArrayList<>();
            for (int k = 0; k < readers; k++) {
                long seed = 200 + k;
                reading.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    while (writing.get()) {
                        int i = random.nextInt(still.size());
                        byte[] got = Files.readAllBytes(still.get(i));
                        if (!Arrays.equals(got, stillContents.get(i))) {
                            throw new AssertionError("reader " + seed + ": " + still.get(i) + " changed while others wrote");
                        }
                        // A file being written reads whole, whatever state it is in.
                        Path busy = folder.resolve("busy-" + random.nextInt(writers));
                        if (Files.exists(busy)) {
                            try {
                                assertThat(Files.readAllBytes(busy).length).isLessThanOrEqualTo(Fsx.MAX_LENGTH);
                            } catch (java.nio.file.NoSuchFileException racing) {
                                // Not created yet.
                            }
                        }
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            try {
                for (Future<String> f : writes) {
                    System.out.println("fsx writer on the live volume, " + f.get());
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw new AssertionError(e.getCause().getMessage() + "\nmount log:\n" + mount.log(), e.getCause());
            } finally {
                writing.set(false);
            }
            for (Future<?> f : reading) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
        System.out.println("readers read " + reads.get() + " files meanwhile");
        assertThat(reads.get()).isPositive();
        for (int i = 0; i < still.size(); i++) {
            assertThat(Files.readAllBytes(still.get(i))).isEqualTo(stillContents.get(i));
        }
    }
}
