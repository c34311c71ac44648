package dev.strata.fstests;

import dev.strata.core.backend.s3.testing.S3TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A repository in S3 (S3Proxy on loopback, in this JVM) mounted by a real {@code strata mount} child
 * process: the latest snapshot equals its source, read through ranged GETs, and a backup made while
 * mounted appears without remounting.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class S3MountIT {

    @Test
    void aBackupInS3_mountsAndReadsLikeALocalOne() throws Exception {
        Path dir = Files.createTempDirectory("strata-s3-mount-it");
        try (S3TestServer server = S3TestServer.start()) {
            server.createBucket("mounted");
            Strata strata = new Strata(dir, server.repo("mounted", "repo"), server.env());
            Path source = SourceTree.create(dir.resolve("source"));
            strata.run("init").ok();
            strata.run("backup", "--quiet", source.toString()).ok();
            try (MountProcess mount = MountProcess.start(strata, dir.resolve("mnt"))) {
                Path sourceDir;
                try (Stream<Path> sources = Files.list(mount.mountpoint.resolve("snapshots"))) {
                    sourceDir = sources.findFirst().orElseThrow();
                }
                Path latest = sourceDir.resolve(Files.readSymbolicLink(sourceDir.resolve("latest")));
                assertThat(TreeCompare.differences(source, latest)).isEmpty();

                Files.writeString(source.resolve("docs/later.txt"), "written after the mount\n");
                strata.run("backup", "--quiet", source.toString()).ok();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                Path later = sourceDir.resolve("latest").resolve("docs/later.txt");
                while (!Files.exists(later) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(later).hasContent("written after the mount");
                assertThat(mount.terminate()).isZero();
            }
        } finally {
            TempDirs.delete(dir);
        }
    }
}
