package dev.strata.cli;

import dev.strata.core.repo.Repository;
import dev.strata.core.testing.RandomData;
import dev.strata.core.testing.TestRepositories;
import dev.strata.core.tree.Timestamp;
import dev.strata.core.tree.TreeStore;
import dev.strata.fuse.FuseAdapter;
import dev.strata.fuse.FuseMount;
import dev.strata.fuse.MountLog;
import dev.strata.fuse.MountOptions;
import dev.strata.image.ImageCounters;
import dev.strata.image.ImageCreator;
import dev.strata.image.ImageRequest;
import dev.strata.image.source.FileImageSource;
import dev.strata.image.view.ImagesDir;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.view.SnapshotCatalog;
import dev.strata.snapshot.view.ViewContext;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** An image's disk.img read through a real FUSE mount of the images/ view has the original sha256 and is sparse. */
class ImageMountIT {
    @TempDir
    Path dir;

    @Test
    void diskImg_throughTheMount_hasTheOriginalSha256() throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse");
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(32L << 20);
            f.seek(5L << 20);
            f.write(RandomData.bytes(3, 4 << 20));
        }
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        TestRepositories.Fixture fixture = TestRepositories.local(dir.resolve("r")).small().init();
        try (Repository r = fixture.open()) {
            try (FileImageSource src = FileImageSource.open(disk)) {
                new ImageCreator(r).create(src, ImageRequest.of("vm").withTime(Instant.parse("2026-11-26T10:20:30Z")),
                        new ImageCounters(), w -> { });
            }
            SnapshotCatalog catalog = new SnapshotCatalog(new Snapshots(r), SnapshotKind.IMAGE, x -> { });
            try (ViewContext ctx = new ViewContext(new TreeStore(r.store()), catalog, 0, 0, Timestamp.EPOCH);
                 FuseMount m = FuseMount.mount(mnt, new FuseAdapter(new ImagesDir(ctx, "/", () -> {
                     try {
                         catalog.refreshIfOlder(1000);
                     } catch (java.io.IOException e) {
                         throw new java.io.UncheckedIOException(e);
                     }
                     return catalog.all();
                 }), new MountLog(System.err)), MountOptions.immutable("strata-test"))) {
                Path img = mnt.resolve("vm/2026-11-26T10-20-30/disk.img");
                assertThat(Files.size(img)).isEqualTo(32L << 20);
                assertThat(sha256(img)).isEqualTo(sha256(disk));
                // Sparse: only the 4 MiB of data take blocks.
                assertThat(dev.strata.core.posix.Posix.get().stat(img).blocks() * 512).isBetween(4L << 20, 5L << 20);
                m.unmount();
            }
        }
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
