package dev.strata.core.posix;

import dev.strata.core.name.NameBytes;
import dev.strata.core.name.Printable;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.Charset;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The raw bytes the kernel knows a {@link Path} by, and paths made from raw bytes. Stateless,
 * thread-safe.
 *
 * <p>Linux names are bytes; the JDK's public API speaks strings decoded in the locale's charset, so
 * a name that is not valid UTF-8 comes back from {@code Path.toString()} with U+FFFD in it and
 * cannot be named again. Inside, though, the JDK's {@code sun.nio.fs.UnixPath} keeps the exact bytes
 * it read from the directory and hands exactly them to every system call. This class reaches that
 * byte array and that constructor (so the JVM needs {@code --add-opens java.base/sun.nio.fs=ALL-UNNAMED},
 * which the launcher, the jar's manifest and the build give it). The alternative, native {@code *at()}
 * calls through jnr-ffi, would mean re-implementing every file operation the JDK already does well
 * (directory streams, file channels, creating, deleting, symlinks): with exact-byte paths all of them
 * stay as they are, and only the step between a name and a path needs the JDK's internals.
 *
 * <p>Without the opened package (a JVM started by other means) paths fall back to the locale's
 * charset: every name that is valid in it still works, and other names are refused with a message
 * that names the missing option.
 */
public final class PathBytes {
    private static final FileSystem FS = FileSystems.getDefault();
    private static final Charset JNU = NativePath.FILENAME_CHARSET;
    private static final MethodHandle AS_BYTES;
    private static final MethodHandle FROM_BYTES;

    static {
        MethodHandle asBytes = null;
        MethodHandle fromBytes = null;
        try {
            Class<?> unixPath = Class.forName("sun.nio.fs.UnixPath");
            Class<?> unixFs = Class.forName("sun.nio.fs.UnixFileSystem");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(unixPath, MethodHandles.lookup());
            asBytes = lookup.findVirtual(unixPath, "asByteArray", MethodType.methodType(byte[].class))
                    .asType(MethodType.methodType(byte[].class, Path.class));
            fromBytes = lookup.findConstructor(unixPath, MethodType.methodType(void.class, unixFs, byte[].class))
                    .asType(MethodType.methodType(Path.class, FileSystem.class, byte[].class));
            if (!unixFs.isInstance(FS)) {
                asBytes = null;
                fromBytes = null;
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Not opened (or not a Unix JDK): the charset fallback below.
        }
        AS_BYTES = asBytes;
        FROM_BYTES = fromBytes;
    }

    private PathBytes() {
    }

    /** Whether paths keep their exact bytes in this JVM (false: the locale-charset fallback). */
    public static boolean exact() {
        return AS_BYTES != null;
    }

    /** The bytes of {@code path} as the kernel sees them (a copy). */
    public static byte[] of(Path path) {
        if (AS_BYTES != null && path.getFileSystem() == FS) {
            try {
                return ((byte[]) AS_BYTES.invokeExact(path)).clone();
            } catch (Throwable t) {
                throw new IllegalStateException("cannot read the bytes of a path", t);
            }
        }
        return path.toString().getBytes(JNU);
    }

    /**
     * The path of the bytes {@code bytes}, as given (relative or absolute, slashes and all, not
     * normalised: a symlink target keeps every byte).
     *
     * @throws IllegalArgumentException if the bytes hold NUL, or the JVM cannot make a path of them
     */
    public static Path path(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                throw new IllegalArgumentException("a path cannot hold NUL: " + Printable.of(NameBytes.decode(bytes)));
            }
        }
        if (FROM_BYTES != null) {
            try {
                return (Path) FROM_BYTES.invokeExact(FS, bytes.clone());
            } catch (Throwable t) {
                throw new IllegalStateException("cannot make a path of bytes", t);
            }
        }
        String s = new String(bytes, JNU);
        if (!Arrays.equals(s.getBytes(JNU), bytes)) {
            throw new IllegalArgumentException("the name " + Printable.of(NameBytes.decode(bytes)) + " is not valid in "
                    + JNU + " and this JVM runs without --add-opens java.base/sun.nio.fs=ALL-UNNAMED");
        }
        return Path.of(s);
    }

    /** The path of the string {@code name} (from {@link NameBytes#decode}), as given. */
    public static Path path(String name) {
        return path(NameBytes.encode(name));
    }

    /**
     * {@code dir} joined with one name.
     *
     * @throws IllegalArgumentException if {@code name} is empty or holds '/' or NUL
     */
    public static Path resolve(Path dir, String name) {
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new IllegalArgumentException("not one path component: " + Printable.of(name));
        }
        return dir.resolve(path(name));
    }

    /** The last component of {@code path} as a name string; empty for a root. */
    public static String name(Path path) {
        Path leaf = path.getFileName();
        return leaf == null ? "" : NameBytes.decode(of(leaf));
    }

    /** The whole path as a string (see {@link NameBytes}). */
    public static String string(Path path) {
        return NameBytes.decode(of(path));
    }

    /** The path for a person: one line, bytes that are not UTF-8 as {@code \xe9} ({@link Printable}). */
    public static String printable(Path path) {
        return Printable.of(string(path));
    }
}
