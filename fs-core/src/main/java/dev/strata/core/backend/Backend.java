package dev.strata.core.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Named immutable blobs: the one thing a repository asks of its storage. Implementations are a
 * local folder and (later) S3-compatible object storage; decorators add retries, metering or, in
 * tests, faults.
 *
 * <p>Every write is atomic: after a crash a name refers to the complete blob or to nothing. A
 * missing blob is reported as {@link java.nio.file.NoSuchFileException}. Implementations are
 * thread-safe.
 */
public interface Backend extends AutoCloseable {

    /**
     * Prepares empty storage for a new repository (folders, a bucket check). Fails with a
     * {@link dev.strata.core.error.UserFacingException} when the location holds something already.
     */
    void create() throws IOException;

    /** Stores {@code data} under {@code name}, replacing any blob of that name, atomically and durably. */
    void put(BlobName name, byte[] data) throws IOException;

    /**
     * Stores the contents of {@code file} under {@code name}, atomically and durably. The backend
     * takes ownership of the file and may move it; the caller must not use it afterwards.
     */
    void putFile(BlobName name, Path file) throws IOException;

    /** The whole blob. */
    byte[] get(BlobName name) throws IOException;

    /**
     * {@code length} bytes starting at {@code offset}. Fails with {@link java.io.EOFException} when the
     * blob ends before {@code offset + length}.
     */
    byte[] read(BlobName name, long offset, int length) throws IOException;

    /**
     * {@code length} bytes starting at {@code offset} as a stream, for reading many pieces of a blob
     * with one request while holding one piece at a time (a restore reads a pack's entries so). The
     * stream fails with {@link java.io.EOFException} when the blob ends before {@code offset + length},
     * and with another {@link IOException} when the transfer breaks; the caller may open the rest
     * again. Closing it early is allowed. This default reads {@link RangeStream#PIECE} bytes at a time
     * with {@link #read}; storage with a cheaper way to stream overrides it.
     */
    default java.io.InputStream openRange(BlobName name, long offset, long length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + name);
        }
        return new RangeStream(this, name, offset, length);
    }

    /** The blob's size in bytes. */
    long size(BlobName name) throws IOException;

    boolean exists(BlobName name) throws IOException;

    /** Every complete blob of the type, in no particular order. */
    List<BlobInfo> list(BlobType type) throws IOException;

    /** Removes the blob; removing a blob that does not exist is not an error. */
    void delete(BlobName name) throws IOException;

    /**
     * A folder on local disk where files handed to {@link #putFile} are cheapest to create (for a
     * local backend, one on the same filesystem so that the put is a rename), if there is one.
     */
    Optional<Path> stagingDirectory();

    /**
     * Removes leftovers of writes that never completed (temporary files of a crashed process) last
     * changed before {@code before}: a writer running beside prune keeps writing its temporary files,
     * so prune passes a time long past when writers run, and the time it began (less a margin) when none
     * does.
     */
    default int removeIncomplete(java.time.Instant before) throws IOException {
        return 0;
    }

    /** Where the blobs live, for messages: a folder or a URL. */
    String location();

    @Override
    void close() throws IOException;
}
