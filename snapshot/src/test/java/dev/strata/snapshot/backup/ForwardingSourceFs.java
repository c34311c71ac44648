package dev.strata.snapshot.backup;

import dev.strata.core.posix.Extent;
import dev.strata.core.posix.FileStatus;
import dev.strata.core.tree.Xattr;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;

/** A source filesystem that passes every call to the real one; tests override what they disturb. */
public class ForwardingSourceFs implements SourceFs {
    protected final SourceFs real;

    public ForwardingSourceFs(SourceFs real) {
        this.real = real;
    }

    public ForwardingSourceFs() {
        this(new LocalSourceFs());
    }

    @Override
    public FileStatus lstat(Path path) throws IOException {
        return real.lstat(path);
    }

    @Override
    public List<String> list(Path dir) throws IOException {
        return real.list(dir);
    }

    @Override
    public List<Xattr> xattrs(Path path) throws IOException {
        return real.xattrs(path);
    }

    @Override
    public byte[] readLink(Path path) throws IOException {
        return real.readLink(path);
    }

    @Override
    public FileChannel open(Path file) throws IOException {
        return real.open(file);
    }

    @Override
    public List<Extent> dataExtents(Path file) throws IOException {
        return real.dataExtents(file);
    }

    @Override
    public String userName(int uid) {
        return real.userName(uid);
    }

    @Override
    public String groupName(int gid) {
        return real.groupName(gid);
    }
}
