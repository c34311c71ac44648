package dev.strata.sync.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.sync.config.LockedListFile;
import dev.strata.sync.config.VersionedJson;
import dev.strata.sync.identity.DeviceId;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The peers this device has added, in {@code peers.json} in the configuration folder (docs/sync.md).
 * Changed under a lock as {@link LockedListFile} does, so two commands at once never lose each other's
 * change. Thread-safe (holds no state between calls).
 */
public final class PeerBook {
    public static final String FILE_NAME = "peers.json";
    private static final String FORMAT = "strata-peers";
    private static final int VERSION = 1;

    private final LockedListFile<Peer> file;
    private final Clock clock;

    public PeerBook(Path folder, Clock clock) {
        this.file = new LockedListFile<>(folder, FILE_NAME, new LockedListFile.Codec<>() {
            @Override
            public byte[] encode(List<Peer> items) throws IOException {
                return PeerBook.encode(items);
            }

            @Override
            public List<Peer> decode(byte[] bytes) throws IOException {
                return PeerBook.this.decode(bytes);
            }
        });
        this.clock = clock;
    }

    public Path file() {
        return file.file();
    }

    /** The peers, by the time they were added. */
    public List<Peer> list() throws IOException {
        return file.list();
    }

    public Optional<Peer> find(DeviceId id) throws IOException {
        return list().stream().filter(p -> p.id().equals(id)).findFirst();
    }

    /** Adds a peer, or gives a peer already added its new address. Returns the peer as it was before, if it was. */
    public Optional<Peer> add(DeviceId id, PeerAddress address) throws IOException {
        return file.change(peers -> {
            Optional<Peer> before = peers.stream().filter(p -> p.id().equals(id)).findFirst();
            peers.removeIf(p -> p.id().equals(id));
            peers.add(new Peer(id, address, before.map(Peer::added).orElse(clock.instant())));
            return before;
        });
    }

    /** Removes a peer; false if it was not there. */
    public boolean remove(DeviceId id) throws IOException {
        return file.change(peers -> peers.removeIf(p -> p.id().equals(id)));
    }

    private static byte[] encode(List<Peer> items) throws IOException {
        List<Peer> peers = new ArrayList<>(items);
        peers.sort(Comparator.comparing(Peer::added).thenComparing(Peer::id));
        ObjectNode root = VersionedJson.create(FORMAT, VERSION);
        ArrayNode arr = root.putArray("peers");
        for (Peer p : peers) {
            ObjectNode n = arr.addObject();
            n.put("id", p.id().toString());
            n.put("address", p.address().toString());
            n.put("added", p.added().toString());
        }
        return VersionedJson.bytes(root);
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
}
