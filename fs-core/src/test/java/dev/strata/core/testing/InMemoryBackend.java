package dev.strata.core.testing;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobInfo;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A backend that keeps its blobs in memory, keyed by path like an object store. Thread-safe: every
 * put replaces a whole array at once, so readers see the old blob or the new one, never a mix.
 *
 * <p>Like an object store it has no local folder: {@link #stagingDirectory()} is empty, so a
 * repository stages packs in its cache folder, and {@link #putFile} reads the file and deletes it.
 * Objects that are not blobs of a repository can be planted with {@link #putForeignObject} to check
 * that listings ignore them.
 */
public final class InMemoryBackend implements Backend {
    private final ConcurrentHashMap<String, byte[]> objects = new ConcurrentHashMap<>();
    private final String location;

    public InMemoryBackend() {
        this("memory:" + Integer.toHexString(System.identityHashCode(new Object())));
    }

    public InMemoryBackend(String location) {
        this.location = location;
    }

    @Override
    public void create() throws IOException {
        if (!objects.isEmpty()) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, location + " is not empty; "
                    + "a new repository needs empty storage");
        }
    }

    @Override
    public void put(BlobName name, byte[] data) {
        objects.put(name.path(), data.clone());
    }

    @Override
    public void putFile(BlobName name, Path file) throws IOException {
        byte[] data = Files.readAllBytes(file);
        objects.put(name.path(), data);
        Files.delete(file);
    }

    @Override
    public byte[] get(BlobName name) throws IOException {
        return blob(name).clone();
    }

    @Override
    public byte[] read(BlobName name, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + name);
        }
        byte[] data = blob(name);
        if (offset + length > data.length) {
            throw new EOFException(name + " ends at " + data.length + ", before " + (offset + length));
        }
        return Arrays.copyOfRange(data, (int) offset, (int) offset + length);
    }

    @Override
    public long size(BlobName name) throws IOException {
        return blob(name).length;
    }

    @Override
    public boolean exists(BlobName name) {
        return objects.containsKey(name.path());
    }

    @Override
    public List<BlobInfo> list(BlobType type) {
        List<BlobInfo> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : objects.entrySet()) {
            BlobName name = parse(type, e.getKey());
            if (name != null) {
                out.add(new BlobInfo(name, e.getValue().length));
            }
        }
        return out;
    }

    @Override
    public void delete(BlobName name) {
        objects.remove(name.path());
    }

    @Override
    public Optional<Path> stagingDirectory() {
        return Optional.empty();
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public void close() {
        // The blobs stay, so that a test can open the same storage again.
    }

    /** Stores bytes under any path, as a stray object a person or another program left in the storage. */
    public void putForeignObject(String path, byte[] data) {
        objects.put(path, data.clone());
    }

    /** Every object by path, sorted; a copy. */
    public Map<String, byte[]> objects() {
        Map<String, byte[]> copy = new TreeMap<>();
        objects.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    private byte[] blob(BlobName name) throws NoSuchFileException {
        byte[] data = objects.get(name.path());
        if (data == null) {
            throw new NoSuchFileException(name.path(), null, "no such blob in " + location);
        }
        return data;
    }

    /** The blob name of {@code path} if it is exactly where a blob of {@code type} lives, else null. */
    private static BlobName parse(BlobType type, String path) {
        try {
            if (type == BlobType.CONFIG) {
                return path.equals("config") ? BlobName.CONFIG : null;
            }
            String prefix = type.folder() + "/";
            if (!path.startsWith(prefix)) {
                return null;
            }
            BlobName name = BlobName.of(type, path.substring(path.lastIndexOf('/') + 1));
            return name.path().equals(path) ? name : null;
        } catch (IllegalArgumentException notABlob) {
            return null;
        }
    }
}
