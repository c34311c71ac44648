package dev.strata.core.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One sorted run of fixed-length records in a temporary file: the records' bytes, ascending as
 * unsigned bytes, no repeats, no header (the file lives only as long as the command that wrote it).
 * Its writer counts the records, and its reader fails unless it finds that many: a run cut short
 * is never taken for a shorter run. Immutable.
 */
record RecordRun(Path file, long records) {
    private static final int IO_BUFFER = 64 * 1024;

    static Writer write(Path file, int recordLength) throws IOException {
        return new Writer(file, recordLength);
    }

    Reader read(int recordLength) throws IOException {
        return new Reader(file, recordLength, records);
    }

    /** Appends records in ascending order, dropping repeats of the last one. Confined to one thread. */
    static final class Writer implements AutoCloseable {
        private final Path file;
        private final int recordLength;
        private final OutputStream out;
        private byte[] last;
        private long written;

        private Writer(Path file, int recordLength) throws IOException {
            this.file = file;
            this.recordLength = recordLength;
            this.out = new BufferedOutputStream(Files.newOutputStream(file), IO_BUFFER);
        }

        /** Appends {@code record}, which the writer keeps: the caller does not change it afterwards. */
        void append(byte[] record) throws IOException {
            if (record.length != recordLength) {
                throw new IllegalArgumentException("run " + file.getFileName() + " holds records of " + recordLength
                        + " bytes, got " + record.length);
            }
            if (last != null) {
                int order = Arrays.compareUnsigned(record, last);
                if (order == 0) {
                    return;
                }
                if (order < 0) {
                    throw new IllegalStateException("run " + file.getFileName() + ": a record out of order");
                }
            }
            out.write(record);
            last = record;
            written++;
        }

        /** The run written, once closed. */
        RecordRun run() {
            return new RecordRun(file, written);
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Reads a run from its start; {@link #head()} is the next record, null at the end. Confined to one thread. */
    static final class Reader implements AutoCloseable {
        private final Path file;
        private final int recordLength;
        private final InputStream in;
        private final long expected;
        private long read;
        private byte[] head;

        private Reader(Path file, int recordLength, long expected) throws IOException {
            this.file = file;
            this.recordLength = recordLength;
            this.expected = expected;
            this.in = new BufferedInputStream(Files.newInputStream(file), IO_BUFFER);
            advance();
        }

        byte[] head() {
            return head;
        }

        void advance() throws IOException {
            byte[] record = new byte[recordLength];
            int n = in.readNBytes(record, 0, recordLength);
            if (n == 0) {
                if (read != expected) {
                    throw new EOFException("run " + file.getFileName() + " ends after " + read + " of its " + expected
                            + " records");
                }
                head = null;
            } else if (n < recordLength) {
                throw new EOFException("run " + file.getFileName() + " ends inside a record (" + n + " of "
                        + recordLength + " bytes)");
            } else {
                head = record;
                read++;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
