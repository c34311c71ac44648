package dev.strata.snapshot.refs;

import dev.strata.core.id.ChunkId;
import dev.strata.core.id.Id32;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One sorted run of chunk ids in a temporary file: the ids' 32 bytes each, ascending, no repeats, no
 * header (the file lives only as long as the command that wrote it). Stateless.
 */
final class ChunkIdRun {
    private static final int IO_BUFFER = 64 * 1024;

    private ChunkIdRun() {
    }

    static Writer write(Path file) throws IOException {
        return new Writer(file);
    }

    static Reader read(Path file) throws IOException {
        return new Reader(file);
    }

    /** Appends ids in ascending order, dropping repeats of the last one. Confined to one thread. */
    static final class Writer implements AutoCloseable {
        private final Path file;
        private final OutputStream out;
        private ChunkId last;

        private Writer(Path file) throws IOException {
            this.file = file;
            this.out = new BufferedOutputStream(Files.newOutputStream(file), IO_BUFFER);
        }

        void append(ChunkId id) throws IOException {
            if (last != null) {
                int order = id.compareTo(last);
                if (order == 0) {
                    return;
                }
                if (order < 0) {
                    throw new IllegalStateException("run " + file.getFileName() + ": " + id.shortString()
                            + " after " + last.shortString());
                }
            }
            byte[] bytes = new byte[Id32.LENGTH];
            id.copyTo(bytes, 0);
            out.write(bytes);
            last = id;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads a run from its start; {@link #head()} is the next id, null at the end. Confined to one thread. */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final InputStream in;
        private final byte[] record = new byte[Id32.LENGTH];
        private ChunkId head;

        private Reader(Path file) throws IOException {
            this.file = file;
            this.in = new BufferedInputStream(Files.newInputStream(file), IO_BUFFER);
            advance();
        }

        ChunkId head() {
            return head;
        }

        void advance() throws IOException {
            int n = in.readNBytes(record, 0, record.length);
            if (n == 0) {
                head = null;
            } else if (n < record.length) {
                throw new EOFException("run " + file.getFileName() + " ends inside an id (" + n + " of "
                        + record.length + " bytes)");
            } else {
                head = ChunkId.of(record);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
