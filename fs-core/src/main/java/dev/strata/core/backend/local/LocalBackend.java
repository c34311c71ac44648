package dev.strata.core.backend.local;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A backend in a local folder, laid out as docs/format.md §1 describes. Writes go to a temporary
 * file in {@code tmp/}, are fsynced, renamed into place and the folder fsynced, so a crash leaves a
 * complete blob or none. Thread-safe.
 *
 * <p>Constructing one writes nothing; {@link #create()} makes the folders of a new repository.
 */
public final class LocalBackend implements Backend {
    private static final int MAX_READ = 1 << 20;
    static final String TMP = "tmp";

    private final Path root;

    public LocalBackend(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * Creates the folders of an empty repository, including the 256 pack subfolders. Refuses a folder
     * that exists and is not empty, so a repository is never mixed into other files.
     */
    @Override
    public void create() throws IOException {
        if (Files.isDirectory(root)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
                if (entries.iterator().hasNext()) {
                    throw new UserFacingException(ExitCode.ALREADY_EXISTS, root + " exists and is not empty; "
                            + "a new repository needs an empty or missing folder");
                }
            }
        } else if (Files.exists(root)) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, root + " exists and is not a folder");
        }
        Files.createDirectories(root);
        for (BlobType type : BlobType.values()) {
            if (!type.folder().isEmpty()) {
                Files.createDirectories(root.resolve(type.folder()));
            }
        }
        for (int i = 0; i < 256; i++) {
            Files.createDirectories(root.resolve(BlobType.PACK.folder()).resolve(String.format("%02x", i)));
        }
        Files.createDirectories(root.resolve(TMP));
        fsyncDirectory(root);
    }

    @Override
    public void put(BlobName name, byte[] data) throws IOException {
        Path tmp = newTempFile();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("write " + name + " in " + root, e);
        }
        moveIntoPlace(tmp, name);
    }

    @Override
    public void putFile(BlobName name, Path file) throws IOException {
        Path source = file;
        if (!sameFileStore(file)) {
            source = newTempFile();
            Files.copy(file, source, StandardCopyOption.REPLACE_EXISTING);
            Files.delete(file);
        }
        try (FileChannel ch = FileChannel.open(source, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        moveIntoPlace(source, name);
    }

    @Override
    public byte[] get(BlobName name) throws IOException {
        Path path = pathOf(name);
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name.path(), null, "no such blob in " + root);
        }
    }

    @Override
    public byte[] read(BlobName name, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + name);
        }
        byte[] out = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(out);
        try (FileChannel ch = FileChannel.open(pathOf(name), StandardOpenOption.READ)) {
            long pos = offset;
            while (buf.position() < out.length) {
                // At most 1 MiB per read: the JDK reads through a direct buffer of the read's size that
                // it keeps per thread, so one 8 MiB entry would keep 8 MiB of native memory per thread.
                buf.limit(Math.min(out.length, buf.position() + MAX_READ));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException(name + " ends at " + pos + ", before " + (offset + length));
                }
                pos += n;
            }
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name.path(), null, "no such blob in " + root);
        }
        return out;
    }

    @Override
    public long size(BlobName name) throws IOException {
        try {
            return Files.size(pathOf(name));
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(name.path(), null, "no such blob in " + root);
        }
    }

    @Override
    public boolean exists(BlobName name) {
        return Files.isRegularFile(pathOf(name));
    }

    @Override
    public List<BlobInfo> list(BlobType type) throws IOException {
        List<BlobInfo> out = new ArrayList<>();
        if (type == BlobType.CONFIG) {
            if (exists(BlobName.CONFIG)) {
                out.add(new BlobInfo(BlobName.CONFIG, size(BlobName.CONFIG)));
            }
            return out;
        }
        Path folder = root.resolve(type.folder());
        if (!Files.isDirectory(folder)) {
            return out;
        }
        if (type == BlobType.PACK) {
            try (DirectoryStream<Path> subs = Files.newDirectoryStream(folder)) {
                for (Path sub : subs) {
                    if (Files.isDirectory(sub)) {
                        listFolder(type, sub, out);
                    }
                }
            }
        } else {
            listFolder(type, folder, out);
        }
        return out;
    }

    private void listFolder(BlobType type, Path folder, List<BlobInfo> out) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path p : files) {
                String fileName = p.getFileName().toString();
                // Anything else (editor backups, stray files) is not a blob of this repository.
                if (fileName.length() != type.hexNameLength()) {
                    continue;
                }
                BlobName name;
                try {
                    name = BlobName.of(type, fileName);
                } catch (IllegalArgumentException notOurs) {
                    continue;
                }
                // A pack under another folder than its first two digits (data/zz/, a copy misplaced
                // by hand) cannot be read by its name: it is not a blob.
                if (!p.equals(pathOf(name))) {
                    continue;
                }
                try {
                    if (Files.isRegularFile(p)) {
                        out.add(new BlobInfo(name, Files.size(p)));
                    }
                } catch (NoSuchFileException deletedMeanwhile) {
                    // A concurrent prune removed it between listing and stat: it is gone.
                }
            }
        }
    }

    @Override
    public void delete(BlobName name) throws IOException {
        Files.deleteIfExists(pathOf(name));
    }

    @Override
    public int removeIncomplete(java.time.Instant before) throws IOException {
        Path dir = root.resolve(TMP);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                try {
                    if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(before)
                            && Files.deleteIfExists(p)) {
                        n++;
                    }
                } catch (java.nio.file.NoSuchFileException renamedIntoPlace) {
                    // completed meanwhile
                }
            }
        }
        return n;
    }

    @Override
    public Optional<Path> stagingDirectory() {
        return Optional.of(root.resolve(TMP));
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void close() {
        // Nothing held open between calls.
    }

    Path pathOf(BlobName name) {
        return root.resolve(name.path());
    }

    private Path newTempFile() throws IOException {
        Path dir = root.resolve(TMP);
        Files.createDirectories(dir);
        return dir.resolve(UUID.randomUUID() + ".tmp");
    }

    private boolean sameFileStore(Path file) throws IOException {
        Path dir = root.resolve(TMP);
        Files.createDirectories(dir);
        return Files.getFileStore(file).equals(Files.getFileStore(dir));
    }

    private void moveIntoPlace(Path tmp, BlobName name) throws IOException {
        Path target = pathOf(name);
        try {
            Files.createDirectories(target.getParent());
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("store " + name + " in " + root, e);
        }
        fsyncDirectory(target.getParent());
    }

    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
