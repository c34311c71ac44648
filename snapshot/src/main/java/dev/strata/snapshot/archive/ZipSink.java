package dev.strata.snapshot.archive;

import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import org.apache.commons.compress.archivers.zip.X7875_NewUnix;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * Writes a zip with Unix modes, owners (the 0x7875 field) and modification times (the extended
 * timestamp field, to the second, and NTFS times, to 100 ns). Zip holds no xattrs, hard links (a
 * second name gets its own copy), FIFOs or devices. Zip64 where sizes need it. Confined to one thread.
 */
final class ZipSink implements ArchiveSink {
    private final ZipArchiveOutputStream zip;

    ZipSink(OutputStream out) {
        this.zip = new ZipArchiveOutputStream(out);
        zip.setUseZip64(Zip64Mode.AsNeeded);
        zip.setEncoding(StandardCharsets.UTF_8.name());
    }

    @Override
    public void directory(String path, Node node) throws IOException {
        zip.putArchiveEntry(entry(path, node));
        zip.closeArchiveEntry();
    }

    @Override
    public void file(String path, Node node, List<Region> data, Content content) throws IOException {
        ZipArchiveEntry e = entry(path, node);
        e.setSize(node.size());
        zip.putArchiveEntry(e);
        content.writeTo(zip, false); // zip has no holes
        zip.closeArchiveEntry();
    }

    @Override
    public void symlink(String path, Node node, String target) throws IOException {
        ZipArchiveEntry e = entry(path, node);
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        e.setSize(bytes.length);
        zip.putArchiveEntry(e);
        zip.write(bytes);
        zip.closeArchiveEntry();
    }

    @Override
    public boolean hardLink(String path, Node node, String firstPath) {
        return false;
    }

    @Override
    public boolean special(String path, Node node) {
        return false;
    }

    private static ZipArchiveEntry entry(String path, Node node) {
        ZipArchiveEntry e = new ZipArchiveEntry(path);
        e.setUnixMode(DeviceNumbers.typeBits(node.type()) | node.mode());
        e.setLastModifiedTime(FileTime.from(node.mtime().toInstant()));
        X7875_NewUnix owner = new X7875_NewUnix();
        owner.setUID(node.uid());
        owner.setGID(node.gid());
        e.addExtraField(owner);
        if (node.type() == NodeType.DIRECTORY && !path.endsWith("/")) {
            throw new IllegalArgumentException("a zip folder entry ends with '/': " + path);
        }
        return e;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
