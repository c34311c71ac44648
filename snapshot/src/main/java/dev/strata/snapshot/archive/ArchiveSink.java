package dev.strata.snapshot.archive;

import dev.strata.core.tree.Node;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * One archive being written, entry by entry, in the order a walk of the tree meets them. Paths are
 * relative, '/'-separated, valid UTF-8. Confined to one thread.
 */
interface ArchiveSink extends AutoCloseable {
    /** A folder; {@code path} ends with '/'. */
    void directory(String path, Node node) throws IOException;

    /**
     * A regular file whose content {@code content} writes to the stream it is given. {@code data}, when
     * not null, lists where the file holds data (it has holes): a format that keeps holes asks
     * {@code content} for those regions only.
     */
    void file(String path, Node node, List<Region> data, Content content) throws IOException;

    void symlink(String path, Node node, String target) throws IOException;

    /**
     * Another name of a file written earlier at {@code firstPath}; false if the format has no links
     * (the caller then writes the content again).
     */
    boolean hardLink(String path, Node node, String firstPath) throws IOException;

    /** A FIFO or device; false if the format cannot hold it. */
    boolean special(String path, Node node) throws IOException;

    /** Writes the archive's end; the underlying stream is closed too. */
    @Override
    void close() throws IOException;

    /** Writes one file's content. */
    interface Content {
        /** Writes the content, holes as zeros, or only its data regions when {@code dataOnly}. */
        void writeTo(OutputStream out, boolean dataOnly) throws IOException;
    }

    /** Bytes of a file that hold data: {@code length} of them from {@code offset}. */
    record Region(long offset, long length) {
    }
}
