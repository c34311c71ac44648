package dev.strata.core.pack;

import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.id.PackId;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one pack to a staging file: header, entries as they come, then the encrypted table and the
 * trailer, fsynced (docs/format.md §5). Nothing names the pack until {@link #finish()} returns.
 * Confined to one thread at a time (callers serialise {@link #add}).
 */
public final class PackWriter implements AutoCloseable {
    private final PackId id;
    private final PackType type;
    private final Path file;
    private final Aes256GcmCipher cipher;
    private final FileChannel channel;
    private final OutputStream out;
    private final List<PackEntry> entries = new ArrayList<>();
    private long size;
    private boolean finished;
    private boolean closed;

    public PackWriter(PackType type, Path stagingDirectory, Aes256GcmCipher cipher) throws IOException {
        this.id = PackId.random();
        this.type = type;
        this.cipher = cipher;
        Files.createDirectories(stagingDirectory);
        this.file = stagingDirectory.resolve("pack-" + id + ".tmp");
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            // Straight to the file, not into the buffer: a disk with no room fails here, where
            // the channel can still be closed and the file removed.
            ByteBuffer header = ByteBuffer.wrap(PackFormat.header(id, type));
            while (header.hasRemaining()) {
                channel.write(header);
            }
            size = header.capacity();
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
        } catch (IOException | RuntimeException | Error e) {
            abandon(e);
            throw e;
        }
    }

    private void abandon(Throwable cause) {
        try {
            channel.close();
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    public PackId id() {
        return id;
    }

    public PackType type() {
        return type;
    }

    /** Bytes written so far (header and entries). */
    public long size() {
        return size;
    }

    public int entryCount() {
        return entries.size();
    }

    /** Appends one sealed entry; returns where it landed. */
    public PackEntry add(SealedEntry e) throws IOException {
        checkOpen();
        PackEntry entry = new PackEntry(e.id(), size, e.storedLength(), e.rawLength(), e.compression());
        out.write(e.envelope());
        size += e.storedLength();
        entries.add(entry);
        return entry;
    }

    /** Writes the table and trailer and fsyncs the file. The writer is done afterwards. */
    public FinishedPack finish() throws IOException {
        checkOpen();
        byte[] table = cipher.seal(PackFormat.encodeTable(entries), PackFormat.header(id, type));
        out.write(table);
        out.write(PackFormat.trailer(table.length));
        out.flush();
        channel.force(true);
        size += table.length + PackFormat.TRAILER_LENGTH;
        finished = true;
        closed = true;
        out.close();
        return new FinishedPack(id, type, file, size, entries);
    }

    /** Abandons an unfinished pack and deletes its staging file; after {@link #finish()} does nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } finally {
            if (!finished) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("pack " + id.shortString() + " is already finished or abandoned");
        }
    }
}
