package dev.strata.snapshot.backup.filter;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/** {@link FilterFiles} on the local filesystem. Stateless, thread-safe. */
final class LocalFilterFiles implements FilterFiles {
    static final LocalFilterFiles INSTANCE = new LocalFilterFiles();

    /** Far beyond any real ignore file; guards memory against a stray huge file with that name. */
    static final int MAX_IGNORE_FILE = 4 << 20;

    private LocalFilterFiles() {
    }

    @Override
    public String readText(Path file) throws IOException {
        if (!isRegularFile(file)) {
            throw new IOException("not a regular file (symbolic links are not followed)");
        }
        byte[] bytes = read(file, MAX_IGNORE_FILE + 1);
        if (bytes.length > MAX_IGNORE_FILE) {
            throw new IOException("larger than " + MAX_IGNORE_FILE + " bytes");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] readHead(Path file, int maxBytes) throws IOException {
        return isRegularFile(file) ? read(file, maxBytes) : new byte[0];
    }

    private static boolean isRegularFile(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isRegularFile();
    }

    private static byte[] read(Path file, int maxBytes) throws IOException {
        // NOFOLLOW_LINKS again on open: the file may have been swapped for a link since the check.
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
             InputStream in = Channels.newInputStream(ch)) {
            return in.readNBytes(maxBytes);
        }
    }
}
