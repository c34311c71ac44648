package dev.strata.core.pack;

import dev.strata.core.crypto.Aes256GcmCipher;
import dev.strata.core.id.PackId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one pack to a staging file: header, entries as they come, then the encrypted table and the
 * trailer, fsynced (docs/format.md §5). Nothing names the pack until {@link #finish()} returns.
 *
 * <p>Every write goes to an explicit position, so a write that fails (a full disk) leaves the pack as
 * it was before the call: part of it may have reached the file (a short write into a page the file
 * already has), but those bytes lie past what the pack holds, and the next write of the same place
 * covers them. Once there is room again the writer carries on, and entries added before the failure
 * are kept. Confined to one thread at a time (callers serialise {@link #add}).
 */
public final class PackWriter implements AutoCloseable {
    /** Entries are gathered up to this many bytes before they are written. */
    private static final int BUFFER_BYTES = 1 << 20;

    private final PackId id;
    private final PackType type;
    private final KeySpace space;
    private final Path file;
    private final Aes256GcmCipher cipher;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private final List<PackEntry> entries = new ArrayList<>();
    /** Bytes of the pack so far (header and entries): those written and those waiting in the buffer. */
    private long size;
    /** Bytes of the pack that are in the file, at their place. */
    private long written;
    private boolean finished;
    private boolean closed;

    public PackWriter(PackType type, Path stagingDirectory, Aes256GcmCipher cipher) throws IOException {
        this(type, KeySpace.REPOSITORY, stagingDirectory, cipher);
    }

    /** A pack of entries whose ids are under {@code space}'s key (a volume's: a version 2 pack, data only). */
    public PackWriter(PackType type, KeySpace space, Path stagingDirectory, Aes256GcmCipher cipher) throws IOException {
        if (!space.isRepository() && type != PackType.DATA) {
            throw new IllegalArgumentException("only data packs hold chunks under a volume's key");
        }
        this.id = PackId.random();
        this.type = type;
        this.space = space;
        this.cipher = cipher;
        Files.createDirectories(stagingDirectory);
        this.file = stagingDirectory.resolve("pack-" + id + ".tmp");
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            // Straight to the file, not into the buffer: a disk with no room fails here, where
            // the channel can still be closed and the file removed.
            byte[] header = PackFormat.header(id, type, space);
            writeAt(ByteBuffer.wrap(header), 0);
            size = header.length;
            written = header.length;
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

    public KeySpace space() {
        return space;
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

    /**
     * Appends one sealed entry; returns where it landed. When it fails (a full disk), the pack is as
     * it was before the call and the writer can be used again.
     */
    public PackEntry add(SealedEntry e) throws IOException {
        checkOpen();
        byte[] envelope = e.envelope();
        if (envelope.length > buffer.remaining()) {
            writeBuffer();
        }
        if (envelope.length > buffer.remaining()) {
            // Larger than the whole buffer: straight to its place in the file.
            writeAt(ByteBuffer.wrap(envelope), written);
            written += envelope.length;
        } else {
            buffer.put(envelope);
        }
        PackEntry entry = new PackEntry(e.id(), size, e.storedLength(), e.rawLength(), e.compression());
        size += e.storedLength();
        entries.add(entry);
        return entry;
    }

    /**
     * Writes the table and trailer and fsyncs the file. The writer is done afterwards; when this
     * fails, it is as it was before the call.
     */
    public FinishedPack finish() throws IOException {
        checkOpen();
        writeBuffer();
        byte[] table = cipher.seal(PackFormat.encodeTable(entries), PackFormat.header(id, type, space));
        byte[] trailer = PackFormat.trailer(table.length);
        ByteBuffer tail = ByteBuffer.allocate(table.length + trailer.length).put(table).put(trailer).flip();
        writeAt(tail, written);
        long end = written + tail.limit();
        // A write that failed earlier may have left bytes past the end; the trailer must be last.
        channel.truncate(end);
        channel.force(true);
        size = end;
        written = end;
        finished = true;
        closed = true;
        channel.close();
        return new FinishedPack(id, type, file, size, entries);
    }

    /** Writes what waits in the buffer to its place in the file; on failure it keeps waiting. */
    private void writeBuffer() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        int n = buffer.position();
        writeAt(buffer.duplicate().flip(), written);
        written += n;
        buffer.clear();
    }

    private void writeAt(ByteBuffer src, long position) throws IOException {
        long at = position;
        while (src.hasRemaining()) {
            at += channel.write(src, at);
        }
    }

    /** Abandons an unfinished pack and deletes its staging file; after {@link #finish()} does nothing. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
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
