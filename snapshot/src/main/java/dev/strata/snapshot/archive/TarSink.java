package dev.strata.snapshot.archive;

import dev.strata.core.name.NameBytes;
import dev.strata.core.tree.Node;
import dev.strata.core.tree.NodeType;
import dev.strata.core.tree.Xattr;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Writes a POSIX (pax) tar: every entry is preceded by a PAX extended header that Strata writes
 * itself, with the path, link target, owners by number and name, size, nanosecond times and xattrs;
 * Commons Compress frames the entries and writes the ustar header under it, whose fields the PAX
 * records override. (Commons Compress's own PAX times stop at 100 ns, and its values are text only.)
 * Xattrs go in {@code SCHILY.xattr.NAME} with their raw value (what GNU tar reads), and those whose
 * value is not UTF-8 also in {@code LIBARCHIVE.xattr.NAME} as base64 (bsdtar, and Strata's import,
 * which reads PAX values as text). A file with holes is a PAX 1.0 sparse entry (GNU tar's format,
 * which Commons Compress reads but does not write): only its data is written. Confined to one thread.
 */
final class TarSink implements ArchiveSink {
    /** Ustar fields hold at most 7 octal digits of an id; Commons Compress would fail above, the PAX record holds it. */
    private static final long USTAR_MAX_ID = 07777777;
    private static final int BLOCK = 512;

    private final TarArchiveOutputStream tar;

    TarSink(OutputStream out) {
        this.tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        // The PAX records carry the long names, large numbers and non-ASCII names: the ustar header
        // under them only has to be well-formed.
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_TRUNCATE);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
        tar.setAddPaxHeadersForNonAsciiNames(false);
    }

    @Override
    public void directory(String path, Node node) throws IOException {
        put(path, node, TarConstants.LF_DIR, null, 0, new PaxRecords());
        tar.closeArchiveEntry();
    }

    @Override
    public void file(String path, Node node, List<Region> data, Content content) throws IOException {
        if (data == null) {
            put(path, node, TarConstants.LF_NORMAL, null, node.size(), new PaxRecords());
            content.writeTo(tar, false);
            tar.closeArchiveEntry();
            return;
        }
        // PAX sparse format 1.0 (GNU tar's): the entry's data is the map of data regions, as decimal
        // lines padded to a block, then those regions; the holes are not written.
        List<Region> map = new ArrayList<>(data);
        Region last = map.isEmpty() ? null : map.get(map.size() - 1);
        if (last == null || last.offset() + last.length() < node.size()) {
            map.add(new Region(node.size(), 0)); // a hole at the end: the map still reaches the file's size
        }
        StringBuilder text = new StringBuilder().append(map.size()).append('\n');
        long dataBytes = 0;
        for (Region r : map) {
            text.append(r.offset()).append('\n').append(r.length()).append('\n');
            dataBytes += r.length();
        }
        byte[] mapBytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        int padded = (mapBytes.length + BLOCK - 1) / BLOCK * BLOCK;
        String slash = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
        String stand = slash + "GNUSparseFile.0/" + path.substring(slash.length());
        PaxRecords sparse = new PaxRecords().add("GNU.sparse.major", "1").add("GNU.sparse.minor", "0")
                .add("GNU.sparse.name", path).add("GNU.sparse.realsize", Long.toString(node.size()));
        put(stand, node, TarConstants.LF_NORMAL, null, padded + dataBytes, sparse);
        tar.write(mapBytes);
        tar.write(new byte[padded - mapBytes.length]);
        content.writeTo(tar, true);
        tar.closeArchiveEntry();
    }

    @Override
    public void symlink(String path, Node node, String target) throws IOException {
        put(path, node, TarConstants.LF_SYMLINK, target, 0, new PaxRecords());
        tar.closeArchiveEntry();
    }

    @Override
    public boolean hardLink(String path, Node node, String firstPath) throws IOException {
        put(path, node, TarConstants.LF_LINK, firstPath, 0, new PaxRecords());
        tar.closeArchiveEntry();
        return true;
    }

    @Override
    public boolean special(String path, Node node) throws IOException {
        byte flag;
        switch (node.type()) {
            case FIFO -> flag = TarConstants.LF_FIFO;
            case CHAR_DEVICE -> flag = TarConstants.LF_CHR;
            case BLOCK_DEVICE -> flag = TarConstants.LF_BLK;
            default -> {
                return false; // sockets: tar has no type for them
            }
        }
        put(path, node, flag, null, 0, new PaxRecords());
        tar.closeArchiveEntry();
        return true;
    }

    /** Writes the entry's PAX header ({@code pax}'s records after the metadata's), then its ustar header. */
    private void put(String path, Node node, byte flag, String link, long size, PaxRecords extra) throws IOException {
        PaxRecords pax = new PaxRecords().add("path", path);
        if (link != null) {
            pax.add("linkpath", link);
        }
        pax.add("uid", Long.toString(node.uid())).add("gid", Long.toString(node.gid()));
        if (!node.user().isEmpty()) {
            pax.add("uname", node.user());
        }
        if (!node.group().isEmpty()) {
            pax.add("gname", node.group());
        }
        if (size > 0) {
            pax.add("size", Long.toString(size));
        }
        pax.time("mtime", node.mtime()).time("atime", node.atime()).time("ctime", node.ctime());
        for (Xattr x : node.xattrs()) {
            boolean text = utf8(x.value()) && !NameBytes.hasEscapes(x.name());
            if (!NameBytes.hasEscapes(x.name())) {
                pax.add(XattrHeaders.SCHILY + x.name(), x.value());
            }
            if (!text) {
                pax.add(XattrHeaders.LIBARCHIVE + XattrHeaders.escapeName(x.name()),
                        Base64.getEncoder().encodeToString(x.value()));
            }
        }
        pax.addAll(extra);
        byte[] body = pax.bytes();
        TarArchiveEntry header = new TarArchiveEntry(paxName(path), TarConstants.LF_PAX_EXTENDED_HEADER_LC, true);
        header.setSize(body.length);
        header.setModTime(node.mtime().seconds() * 1000);
        tar.putArchiveEntry(header);
        tar.write(body);
        tar.closeArchiveEntry();

        TarArchiveEntry e = new TarArchiveEntry(path, flag, true);
        e.setMode(DeviceNumbers.typeBits(node.type()) | node.mode());
        e.setUserId(Math.min(node.uid(), USTAR_MAX_ID));
        e.setGroupId(Math.min(node.gid(), USTAR_MAX_ID));
        e.setUserName(node.user());
        e.setGroupName(node.group());
        e.setModTime(node.mtime().seconds() * 1000);
        if (link != null) {
            e.setLinkName(link);
        }
        if (node.type() == NodeType.CHAR_DEVICE || node.type() == NodeType.BLOCK_DEVICE) {
            e.setDevMajor(DeviceNumbers.major(node.rdev()));
            e.setDevMinor(DeviceNumbers.minor(node.rdev()));
        }
        e.setSize(size);
        tar.putArchiveEntry(e);
    }

    /** The name of a PAX header entry, as GNU tar makes it: "PaxHeaders/" and the last name, kept short. */
    private static String paxName(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String last = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        StringBuilder ascii = new StringBuilder("PaxHeaders/");
        for (int i = 0; i < last.length() && ascii.length() < 90; i++) {
            char c = last.charAt(i);
            ascii.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return ascii.toString();
    }

    private static boolean utf8(byte[] value) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(value));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        tar.close();
    }
}
