package dev.strata.core.chunk;

/** Finds content-defined cut points. Implementations are immutable and thread-safe. */
public interface Chunker {

    /**
     * The length of the chunk that starts at {@code data[offset]}. {@code length} bytes are available;
     * unless the stream ends there, callers supply at least {@link ChunkerParams#maxSize()} bytes.
     * Returns a value in {@code 1..length} (or 0 when {@code length} is 0).
     */
    int cut(byte[] data, int offset, int length);

    ChunkerParams params();
}
