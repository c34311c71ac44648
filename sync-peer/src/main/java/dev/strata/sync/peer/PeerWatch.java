package dev.strata.sync.peer;

import dev.strata.sync.identity.DeviceId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The peer list as a running process sees it: read again whenever the file changes (a peer added or
 * removed from another terminal counts at once), the last good list kept while the file cannot be
 * read. Thread-safe.
 */
public final class PeerWatch {
    private final PeerBook book;
    private final Consumer<String> problems;
    private volatile List<Peer> peers = List.of();
    private volatile Set<DeviceId> ids = Set.of();
    /** What the file was when last read: every change replaces it, so its file key (inode) changes too. */
    private Object seenKey;
    private FileTime seenTime;
    private long seenSize = -2;
    private String lastProblem;

    /** @param problems told once per distinct problem reading the file (for the log) */
    public PeerWatch(PeerBook book, Consumer<String> problems) {
        this.book = book;
        this.problems = problems;
    }

    /** Reads the file again if it changed since the last look; returns whether the list changed. */
    public synchronized boolean refresh() {
        Object key;
        FileTime time;
        long size;
        try {
            BasicFileAttributes a = Files.readAttributes(book.file(), BasicFileAttributes.class);
            key = a.fileKey();
            time = a.lastModifiedTime();
            size = a.size();
        } catch (NoSuchFileException e) {
            key = null;
            time = null;
            size = -1;
        } catch (IOException e) {
            report("cannot read " + book.file() + ": " + e.getMessage());
            return false;
        }
        if (seenSize != -2 && java.util.Objects.equals(key, seenKey) && java.util.Objects.equals(time, seenTime) && size == seenSize) {
            return false;
        }
        try {
            List<Peer> next = book.list();
            seenKey = key;
            seenTime = time;
            seenSize = size;
            lastProblem = null;
            boolean changed = !next.equals(peers);
            peers = next;
            ids = next.stream().map(Peer::id).collect(Collectors.toUnmodifiableSet());
            return changed;
        } catch (IOException e) {
            report(e.getMessage() + "; keeping the peers read before");
            return false;
        }
    }

    private void report(String problem) {
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            problems.accept(problem);
        }
    }

    public List<Peer> peers() {
        return peers;
    }

    /** The added peers' IDs, for the trust manager. */
    public Set<DeviceId> ids() {
        return ids;
    }
}
