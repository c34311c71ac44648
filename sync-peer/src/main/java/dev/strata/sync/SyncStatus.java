package dev.strata.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.PeerState;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a running {@code strata sync run} publishes for {@code strata sync status}: the process, where it
 * listens, and each peer's state (docs/sync.md, "Status"). Immutable.
 *
 * @param running false once the process stopped cleanly
 * @param updated refreshed every few seconds while the process runs
 */
public record SyncStatus(long pid, DeviceId device, String listen, Instant started, Instant updated, boolean running,
                         List<PeerState> peers, List<dev.strata.sync.volumes.VolumeProgress> volumes) {
    static final String FORMAT = "strata-sync-status";
    static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public SyncStatus {
        peers = List.copyOf(peers);
        volumes = List.copyOf(volumes);
    }

    byte[] encode() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("pid", pid);
        root.put("device", device.toString());
        root.put("listen", listen);
        root.put("started", started.toString());
        root.put("updated", updated.toString());
        root.put("running", running);
        ArrayNode arr = root.putArray("peers");
        for (PeerState p : peers) {
            ObjectNode n = arr.addObject();
            n.put("id", p.id().toString());
            n.put("connected", p.connected());
            n.put("since", p.since() == null ? null : p.since().toString());
            n.put("direction", p.direction() == null ? null : p.direction().name().toLowerCase(java.util.Locale.ROOT));
            n.put("remote", p.remote());
            n.put("name", p.name());
            n.put("lastError", p.lastError());
            n.put("lastErrorAt", p.lastErrorAt() == null ? null : p.lastErrorAt().toString());
        }
        ArrayNode vols = root.putArray("volumes");
        for (dev.strata.sync.volumes.VolumeProgress v : volumes) {
            ObjectNode n = vols.addObject();
            n.put("name", v.name());
            n.put("sequence", v.sequence());
            n.put("mode", v.mode());
            n.put("held", v.held());
            ArrayNode ps = n.putArray("peers");
            for (dev.strata.sync.volumes.VolumeProgress.Peer p : v.peers()) {
                ObjectNode pn = ps.addObject();
                pn.put("id", p.id().toString());
                pn.put("sentThrough", p.sentThrough());
                pn.put("applied", p.applied());
                pn.put("theirSequence", p.theirLatest());
                pn.put("inSync", p.inSync(v.sequence()));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    static SyncStatus decode(byte[] bytes) throws IOException {
        JsonNode root = JSON.readTree(bytes);
        if (root == null || !FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw new IOException("not a sync status of version " + VERSION);
        }
        List<PeerState> peers = new ArrayList<>();
        for (JsonNode n : root.path("peers")) {
            peers.add(new PeerState(DeviceId.parse(n.path("id").asText()), n.path("connected").asBoolean(), instant(n.path("since")),
                    n.path("direction").isTextual() ? PeerConnection.Direction.valueOf(n.path("direction").asText().toUpperCase(java.util.Locale.ROOT)) : null,
                    text(n.path("remote")), text(n.path("name")), text(n.path("lastError")), instant(n.path("lastErrorAt"))));
        }
        List<dev.strata.sync.volumes.VolumeProgress> volumes = new ArrayList<>();
        for (JsonNode n : root.path("volumes")) {
            List<dev.strata.sync.volumes.VolumeProgress.Peer> ps = new ArrayList<>();
            for (JsonNode p : n.path("peers")) {
                ps.add(new dev.strata.sync.volumes.VolumeProgress.Peer(DeviceId.parse(p.path("id").asText()),
                        p.path("sentThrough").asLong(), p.path("applied").asLong(), p.path("theirSequence").asLong()));
            }
            volumes.add(new dev.strata.sync.volumes.VolumeProgress(n.path("name").asText(), n.path("sequence").asLong(), ps,
                    n.path("mode").asText("two-way"), n.path("held").asInt()));
        }
        return new SyncStatus(root.path("pid").asLong(), DeviceId.parse(root.path("device").asText()), text(root.path("listen")),
                instant(root.path("started")), instant(root.path("updated")), root.path("running").asBoolean(), peers, volumes);
    }

    private static String text(JsonNode n) {
        return n.isTextual() ? n.asText() : null;
    }

    private static Instant instant(JsonNode n) {
        return n.isTextual() ? Instant.parse(n.asText()) : null;
    }
}
