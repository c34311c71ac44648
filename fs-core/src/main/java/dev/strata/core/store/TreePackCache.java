package dev.strata.core.store;

import dev.strata.core.backend.Backend;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.PackId;
import dev.strata.core.pack.FinishedPack;
import dev.strata.core.pack.PackEntry;
import dev.strata.core.pack.PackReader;
import dev.strata.core.pack.PackType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tree packs kept whole on local disk, in the cache folder, for a repository in remote storage: a
 * backup reads its parent snapshot's trees, a restore or a mount walks trees, and each tree read from
 * the backend would be a request of its own (restic keeps its tree packs in its cache for the same
 * reason). A tree pack this process stores is kept as it is stored; one read from the backend is
 * fetched whole with one request the first time one of its trees is needed.
 *
 * <p>Never trusted blindly: every tree read from a kept pack is authenticated (its entry's GCM tag,
 * with the chunk id in the AAD), and a pack fetched is kept only after its header and table
 * authenticate under its id. A kept pack whose entry fails is deleted and fetched again. Files appear
 * whole (written under a temporary name, then renamed), so several processes may share the folder;
 * the folder holds at most about {@code maxBytes}, the packs least recently used leaving first — a pack
 * deleted under a reader is fetched again by that reader. Losing the folder loses nothing.
 * Thread-safe.
 */
final class TreePackCache {
    /** Eviction brings the folder down to this share of its bound, so that it does not run at every fetch. */
    private static final double LOW_WATER = 0.8;
    private static final long STALE_TEMPORARY_MILLIS = 60L * 60 * 1000;
    private final Path folder;
    private final long maxBytes;
    private final Backend backend;
    private final PackReader reader;
    private final ConcurrentHashMap<PackId, CompletableFuture<byte[]>> fetching = new ConcurrentHashMap<>();
    /** Packs whose time of use this process has already advanced (once per process is enough for eviction). */
    private final Set<PackId> touched = ConcurrentHashMap.newKeySet();
    private final AtomicLong fetches = new AtomicLong();
    /** Bytes in the folder as far as this process knows; -1 until first counted. */
    private long bytes = -1;

    TreePackCache(Path folder, long maxBytes, Backend backend, PackReader reader) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("a tree pack cache needs room, got " + maxBytes + " bytes");
        }
        this.folder = folder;
        this.maxBytes = maxBytes;
        this.backend = backend;
        this.reader = reader;
    }

    /** The tree's plaintext from the kept pack, fetching the pack whole when it is not kept or is damaged. */
    byte[] readChunk(PackId pack, PackEntry entry) throws IOException {
        byte[] kept = readKept(pack, entry);
        if (kept != null) {
            return kept;
        }
        byte[] all = fetch(pack);
        return reader.openEntry(pack, entry, all, (int) Math.min(Integer.MAX_VALUE, entry.offset()));
    }

    /** How many packs this cache fetched from the backend (for tests and statistics). */
    long fetches() {
        return fetches.get();
    }

    /**
     * Keeps a tree pack about to be stored: a link to (or copy of) its staging file, under a temporary
     * name until {@link Staged#publish()} says the pack is stored. Best effort: a pack that cannot be
     * kept is fetched when first read.
     */
    Staged stage(FinishedPack pack) {
        if (pack.type() != PackType.TREE) {
            return Staged.NONE;
        }
        Path tmp = null;
        try {
            Files.createDirectories(folder.resolve("tmp"));
            tmp = folder.resolve("tmp").resolve(UUID.randomUUID() + ".pack");
            try {
                Files.createLink(tmp, pack.file());
            } catch (IOException | UnsupportedOperationException differentFileSystem) {
                Files.copy(pack.file(), tmp);
            }
            Path staged = tmp;
            return new Staged() {
                @Override
                public void publish() {
                    install(pack.id(), staged, pack.size());
                }

                @Override
                public void discard() {
                    deleteQuietly(staged);
                }
            };
        } catch (IOException e) {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
            return Staged.NONE;
        }
    }

    /** A pack kept under a temporary name until its put is known to have succeeded. */
    interface Staged {
        Staged NONE = new Staged() {
            @Override
            public void publish() {
            }

            @Override
            public void discard() {
            }
        };

        /** The pack is stored: keep it. */
        void publish();

        /** The pack was not stored: forget it. */
        void discard();
    }

    private Path pathOf(PackId pack) {
        String hex = pack.toString();
        return folder.resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** The entry from the kept pack, or null when there is none or its bytes do not authenticate (then it is deleted). */
    private byte[] readKept(PackId pack, PackEntry entry) {
        Path path = pathOf(pack);
        byte[] envelope;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            envelope = new byte[entry.storedLength()];
            ByteBuffer buf = ByteBuffer.wrap(envelope);
            long at = entry.offset();
            while (buf.hasRemaining()) {
                int n = ch.read(buf, at);
                if (n < 0) {
                    throw new CorruptDataException("kept tree pack " + pack.shortString() + " is cut short");
                }
                at += n;
            }
        } catch (NoSuchFileException notKept) {
            return null;
        } catch (IOException e) {
            deleteQuietly(path);
            return null;
        }
        try {
            byte[] plain = reader.openEntry(pack, entry, envelope, 0);
            if (touched.add(pack)) {
                try {
                    Files.setLastModifiedTime(path, FileTime.fromMillis(System.currentTimeMillis()));
                } catch (IOException evictedMeanwhile) {
                    // Read already; the next read fetches it again.
                }
            }
            return plain;
        } catch (CorruptDataException damaged) {
            // The local copy went bad (disk, a stray write): the backend's copy is the truth.
            deleteQuietly(path);
            return null;
        }
    }

    /** The whole pack from the backend, one fetch per pack at a time, kept when its table authenticates. */
    private byte[] fetch(PackId pack) throws IOException {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> theirs = fetching.putIfAbsent(pack, mine);
        if (theirs != null) {
            return TaskResults.await(theirs);
        }
        try {
            byte[] all = backend.get(PackReader.blobName(pack));
            fetches.incrementAndGet();
            keepFetched(pack, all);
            mine.complete(all);
            return all;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            fetching.remove(pack);
        }
    }

    private void keepFetched(PackId pack, byte[] all) {
        try {
            if (reader.tableOf(pack, all).type() != PackType.TREE) {
                return;
            }
        } catch (CorruptDataException damaged) {
            // Not kept: each entry read from it is authenticated on its own and reported as damaged.
            return;
        }
        Path tmp = null;
        try {
            Files.createDirectories(folder.resolve("tmp"));
            tmp = folder.resolve("tmp").resolve(UUID.randomUUID() + ".pack");
            Files.write(tmp, all);
            install(pack, tmp, all.length);
        } catch (IOException e) {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private void install(PackId pack, Path tmp, long size) {
        Path path = pathOf(pack);
        try {
            Files.createDirectories(path.getParent());
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(tmp);
            return;
        }
        evictIfFull(size);
    }

    /** Counts the new pack and, past the bound, deletes the packs least recently used down to the low-water mark. */
    private synchronized void evictIfFull(long added) {
        if (bytes < 0) {
            removeStaleTemporaries();
            bytes = keptPacks().stream().mapToLong(Kept::size).sum();
        } else {
            bytes += added;
        }
        if (bytes <= maxBytes) {
            return;
        }
        List<Kept> all = keptPacks();
        all.sort(Comparator.comparing(Kept::used));
        long total = all.stream().mapToLong(Kept::size).sum();
        for (Kept k : all) {
            if (total <= maxBytes * LOW_WATER) {
                break;
            }
            deleteQuietly(k.path());
            total -= k.size();
        }
        bytes = total;
    }

    /** Deletes what a crashed process left in {@code tmp/}: files an hour old are no write in progress. */
    private void removeStaleTemporaries() {
        long before = System.currentTimeMillis() - STALE_TEMPORARY_MILLIS;
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(folder.resolve("tmp"))) {
            for (Path p : tmp) {
                try {
                    if (Files.getLastModifiedTime(p).toMillis() < before) {
                        deleteQuietly(p);
                    }
                } catch (IOException goneMeanwhile) {
                    // published or removed by its writer
                }
            }
        } catch (IOException noFolder) {
            // nothing staged yet
        }
    }

    private record Kept(Path path, long size, FileTime used) {
    }

    private List<Kept> keptPacks() {
        List<Kept> out = new ArrayList<>();
        try (DirectoryStream<Path> prefixes = Files.newDirectoryStream(folder, p -> p.getFileName().toString().length() == 2)) {
            for (Path prefix : prefixes) {
                try (DirectoryStream<Path> packs = Files.newDirectoryStream(prefix)) {
                    for (Path p : packs) {
                        try {
                            out.add(new Kept(p, Files.size(p), Files.getLastModifiedTime(p)));
                        } catch (IOException goneMeanwhile) {
                            // evicted by another process
                        }
                    }
                }
            }
        } catch (IOException e) {
            // An unreadable folder holds nothing usable; reads fetch from the backend.
        }
        return out;
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // A file left behind is at worst read, found damaged and fetched again.
        }
    }
}
