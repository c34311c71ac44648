package dev.strata.snapshot.backup;

import dev.strata.core.posix.Extent;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.posix.PathBytes;
import dev.strata.core.posix.Posix;
import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** The real local filesystem, through the JDK and the native POSIX layer. Thread-safe. */
public final class LocalSourceFs implements SourceFs {
    private final Posix posix = Posix.get();

    @Override
    public FileStatus lstat(Path path) throws IOException {
        return posix.lstat(path);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(PathBytes.name(p));
            }
        }
        return names;
    }

    @Override
    public List<Xattr> xattrs(Path path) throws IOException {
        List<String> names = posix.listXattrs(path);
        if (names.isEmpty()) {
            return List.of();
        }
        List<Xattr> out = new ArrayList<>(names.size());
        for (String name : names) {
            byte[] value = posix.getXattr(path, name).orElse(null);
            if (value != null) {
                out.add(new Xattr(name, value));
            }
        }
        return out;
    }

    @Override
    public byte[] readLink(Path path) throws IOException {
        return PathBytes.of(Files.readSymbolicLink(path));
    }

    @Override
    public FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    @Override
    public List<Extent> dataExtents(Path file) throws IOException {
        return posix.dataExtents(file);
    }

    @Override
    public String userName(int uid) {
        return posix.userName(uid).orElse("");
    }

    @Override
    public String groupName(int gid) {
        return posix.groupName(gid).orElse("");
    }
}
