package dev.strata.sync.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.sync.config.ConfigFiles;
import dev.strata.sync.config.VersionedJson;
import dev.strata.sync.identity.DeviceId;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The peers this device has added, in {@code peers.json} in the configuration folder (docs/sync.md).
 * Every change is a read, change and atomic replace under a lock file, so two commands at once
 * never lose each other's change. Thread-safe (holds no state between calls).
 */
public final class PeerBook {
    public static final String FILE_NAME = "peers.json";
    private static final String LOCK_NAME = ".peers.lock";
    private static final String FORMAT = "strata-peers";
    private static final int VERSION = 1;
    /** File locks are held per process: threads of one process take turns here first. */
    private static final Object IN_PROCESS = new Object();

    private final Path folder;
    private final Clock clock;

    public PeerBook(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    public Path file() {
        return folder.resolve(FILE_NAME);
    }

    /** The peers, by the time they were added. */
    public List<Peer> list() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return decode(bytes);
    }

    public Optional<Peer> find(DeviceId id) throws IOException {
        return list().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Adds a peer, or gives a peer already added its new address. Returns the peer as it was before, if it was. */
    public Optional<Peer> add(DeviceId id, PeerAddress address) throws IOException {
        synchronized (IN_PROCESS) {
            try (FileLock ignored = lock()) {
                List<Peer> peers = new ArrayList<>(list());
                Optional<Peer> before = peers.stream().filter(p -> p.id().equals(id)).findFirst();
                peers.removeIf(p -> p.id().equals(id));
                peers.add(new Peer(id, address, before.map(Peer::added).orElse(clock.instant())));
                write(peers);
                return before;
            }
        }
    }

    /** Removes a peer; false if it was not there. */
    public boolean remove(DeviceId id) throws IOException {
        synchronized (IN_PROCESS) {
            try (FileLock ignored = lock()) {
                List<Peer> peers = new ArrayList<>(list());
                if (!peers.removeIf(p -> p.id().equals(id))) {
                    return false;
                }
                write(peers);
                return true;
            }
        }
    }

    private FileLock lock() throws IOException {
        ConfigFiles.ensureFolder(folder);
        FileChannel ch = FileChannel.open(folder.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return new ClosingLock(ch, ch.lock());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private void write(List<Peer> peers) throws IOException {
        peers.sort(Comparator.comparing(Peer::added).thenComparing(Peer::id));
        ObjectNode root = VersionedJson.create(FORMAT, VERSION);
        ArrayNode arr = root.putArray("peers");
        for (Peer p : peers) {
            ObjectNode n = arr.addObject();
            n.put("id", p.id().toString());
            n.put("address", p.address().toString());
            n.put("added", p.added().toString());
        }
        ConfigFiles.replace(file(), VersionedJson.bytes(root));
    }

    private List<Peer> decode(byte[] bytes) throws IOException {
        try {
            JsonNode root = VersionedJson.read(bytes, file(), FORMAT, VERSION, "list of peers");
            List<Peer> peers = new ArrayList<>();
            for (JsonNode n : root.path("peers")) {
                peers.add(new Peer(DeviceId.parse(n.path("id").asText()), PeerAddress.parse(n.path("address").asText()),
                        Instant.parse(n.path("added").asText())));
            }
            return List.copyOf(peers);
        } catch (UserFacingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserFacingException(ExitCode.CORRUPT, "the list of peers " + file() + " is damaged (" + e.getMessage()
                    + "); fix or remove it and add the peers again", e);
        }
    }

    /** A file lock that closes its channel too. */
    private static final class ClosingLock extends FileLock {
        private final FileLock lock;

        ClosingLock(FileChannel channel, FileLock lock) {
            super(channel, lock.position(), lock.size(), lock.isShared());
            this.lock = lock;
        }

        @Override
        public boolean isValid() {
            return lock.isValid();
        }

        @Override
        public void release() throws IOException {
            try {
                lock.release();
            } finally {
                channel().close();
            }
        }
    }
}
