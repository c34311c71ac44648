package dev.strata.core.posix;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Lists, reads, writes and removes extended attributes of a file or of a symlink itself (the
 * {@code l*xattr} calls), in every namespace: {@code user.}, {@code trusted.}, {@code security.}
 * and {@code system.} (POSIX ACLs travel as the binary {@code system.posix_acl_access} and
 * {@code system.posix_acl_default} values). Thread-safe.
 */
final class Xattrs {
    /** A list or value that changes size this often between probe and read is given up on. */
    private static final int ATTEMPTS = 8;

    private final Libc.Functions libc;
    private final NativeErrors errors;

    Xattrs(Libc.Functions libc, NativeErrors errors) {
        this.libc = libc;
        this.errors = errors;
    }

    /** The attribute names, in the kernel's order; empty where the filesystem has no xattrs. */
    List<String> list(Path path) throws IOException {
        byte[] file = NativePath.of(path);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long size = libc.llistxattr(file, null, 0);
            if (size < 0) {
                int errno = errors.errno();
                if (errno == Errno.EOPNOTSUPP) {
                    return List.of();
                }
                throw errors.exception(errno, "llistxattr", path);
            }
            if (size == 0) {
                return List.of();
            }
            byte[] buffer = new byte[Math.toIntExact(size)];
            long read = libc.llistxattr(file, buffer, buffer.length);
            if (read >= 0) {
                return splitNames(buffer, (int) read);
            }
            int errno = errors.errno();
            if (errno != Errno.ERANGE) {
                throw errors.exception(errno, "llistxattr", path);
            }
        }
        throw new FileSystemException(path.toString(), null, "llistxattr: the list kept changing size");
    }

    /** The attribute's value, or empty when the file has no such attribute. */
    Optional<byte[]> get(Path path, String name) throws IOException {
        byte[] file = NativePath.of(path);
        byte[] attribute = NativePath.terminated(name);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            long size = libc.lgetxattr(file, attribute, null, 0);
            if (size < 0) {
                return absentOrThrow(path, name);
            }
            byte[] buffer = new byte[Math.toIntExact(size)];
            if (size == 0) {
                return Optional.of(buffer);
            }
            long read = libc.lgetxattr(file, attribute, buffer, buffer.length);
            if (read >= 0) {
                return Optional.of(read == buffer.length ? buffer : Arrays.copyOf(buffer, (int) read));
            }
            if (errors.errno() != Errno.ERANGE) {
                return absentOrThrow(path, name);
            }
        }
        throw new FileSystemException(path.toString(), null, "lgetxattr " + name + ": the value kept changing size");
    }

    /** Creates or replaces the attribute. */
    void set(Path path, String name, byte[] value) throws IOException {
        if (libc.lsetxattr(NativePath.of(path), NativePath.terminated(name), value, value.length, 0) != 0) {
            throw errors.last("lsetxattr " + name, path);
        }
    }

    void remove(Path path, String name) throws IOException {
        if (libc.lremovexattr(NativePath.of(path), NativePath.terminated(name)) != 0) {
            throw errors.last("lremovexattr " + name, path);
        }
    }

    private Optional<byte[]> absentOrThrow(Path path, String name) throws IOException {
        int errno = errors.errno();
        if (errno == Errno.ENODATA) {
            return Optional.empty();
        }
        throw errors.exception(errno, "lgetxattr " + name, path);
    }

    private static List<String> splitNames(byte[] list, int length) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (list[i] == 0) {
                if (i > start) {
                    names.add(NativePath.decode(list, start, i - start));
                }
                start = i + 1;
            }
        }
        return List.copyOf(names);
    }
}
