package dev.strata.snapshot.backup;

import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Progress moves while a large file is being read, not only when it is finished. */
@Timeout(60)
class BackupProgressBytesTest {
    private static final int SIZE = 8 << 20;

    @TempDir
    Path dir;

    @Test
    void bytesOfALargeFileCountAsTheyAreRead() throws Exception {
        Path source = Files.createDirectories(dir.resolve("src"));
        byte[] data = new byte[SIZE];
        new Random(3).nextBytes(data);
        Files.write(source.resolve("large.bin"), data);
        CountDownLatch halfRead = new CountDownLatch(1);
        CountDownLatch mayGoOn = new CountDownLatch(1);
        GatedFs fs = new GatedFs(new LocalSourceFs(), SIZE / 2, halfRead, mayGoOn);
        BackupCounters counters = new BackupCounters();
        try (Repository r = TestRepositories.local(dir.resolve("r")).init().open(LockMode.WRITE)) {
            CompletableFuture<BackupResult> backup = CompletableFuture.supplyAsync(() -> {
                try {
                    return new Backup(r, fs).run(BackupRequest.of(List.of(source)), counters, BackupProgress.NONE);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(halfRead.await(30, TimeUnit.SECONDS)).isTrue();
            // Half the file is read and the rest is held back: progress shows it, the file is not done.
            assertThat(counters.bytesDone()).isGreaterThanOrEqualTo(SIZE / 2).isLessThan(SIZE);
            assertThat(counters.filesDone()).isZero();
            mayGoOn.countDown();
            backup.get(30, TimeUnit.SECONDS);
            assertThat(counters.bytesDone()).isEqualTo(SIZE);
            assertThat(counters.bytesRead()).isEqualTo(SIZE);
        }
    }

    /** Source files whose reads stop after {@code gate} bytes until released. */
    private static final class GatedFs extends ForwardingSourceFs {
        private final long gate;
        private final CountDownLatch reached;
        private final CountDownLatch release;

        GatedFs(SourceFs real, long gate, CountDownLatch reached, CountDownLatch release) {
            super(real);
            this.gate = gate;
            this.reached = reached;
            this.release = release;
        }

        @Override
        public FileChannel open(Path file) throws IOException {
            return new Gated(real.open(file));
        }

        private final class Gated extends FileChannel {
            private final FileChannel ch;

            Gated(FileChannel ch) {
                this.ch = ch;
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                if (position >= gate) {
                    reached.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                } else if (dst.remaining() > gate - position) {
                    dst.limit(dst.position() + (int) (gate - position));
                }
                return ch.read(dst, position);
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                return ch.read(dst);
            }

            @Override
            public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
                return ch.read(dsts, offset, length);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                return ch.write(src);
            }

            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
                return ch.write(srcs, offset, length);
            }

            @Override
            public long position() throws IOException {
                return ch.position();
            }

            @Override
            public FileChannel position(long p) throws IOException {
                ch.position(p);
                return this;
            }

            @Override
            public long size() throws IOException {
                return ch.size();
            }

            @Override
            public FileChannel truncate(long size) throws IOException {
                ch.truncate(size);
                return this;
            }

            @Override
            public void force(boolean metaData) throws IOException {
                ch.force(metaData);
            }

            @Override
            public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
                return ch.transferTo(position, count, target);
            }

            @Override
            public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
                return ch.transferFrom(src, position, count);
            }

            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                return ch.write(src, position);
            }

            @Override
            public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
                return ch.map(mode, position, size);
            }

            @Override
            public FileLock lock(long position, long size, boolean shared) throws IOException {
                return ch.lock(position, size, shared);
            }

            @Override
            public FileLock tryLock(long position, long size, boolean shared) throws IOException {
                return ch.tryLock(position, size, shared);
            }

            @Override
            protected void implCloseChannel() throws IOException {
                ch.close();
            }
        }
    }
}
