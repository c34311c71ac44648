package dev.strata.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.Hex;
import dev.strata.core.repo.Repository;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of the volumes that have their own (docs/format.md §2.4), read from their records and
 * unwrapped under the repository's key: registering them lets the repository's store verify, salvage
 * and restore those volumes' chunks under the right key. Stateless.
 */
public final class VolumeKeyRing {
    private VolumeKeyRing() {
    }

    /**
     * The keys found in {@code snapshots}' volume records, by volume id (hex), each registered with
     * {@code repo} ({@link Repository#volumeStore}). Keys that do not open are reported through
     * {@code damaged}, naming the snapshot, and skipped.
     */
    public static Map<String, VolumeKeys> register(Repository repo, List<Snapshot> snapshots, List<String> damaged)
            throws IOException {
        Map<String, VolumeKeys> out = new LinkedHashMap<>();
        for (Snapshot s : snapshots) {
            if (s.kind() != SnapshotKind.VOLUME || s.extra() == null) {
                continue;
            }
            JsonNode x = s.extra();
            if (!x.path("keys").isTextual() || !x.path("volumeId").isTextual()) {
                continue;
            }
            String idHex = x.get("volumeId").asText();
            if (out.containsKey(idHex)) {
                continue;
            }
            try {
                byte[] volumeId = Hex.decode(idHex);
                VolumeKeys keys = VolumeKeys.unwrap(repo.key(), volumeId, Base64.getDecoder().decode(x.get("keys").asText()));
                repo.volumeStore(keys);
                out.put(idHex, keys);
            } catch (CorruptDataException | IllegalArgumentException e) {
                damaged.add("volume checkpoint " + s.shortId() + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * As above, for the one snapshot about to be read (a restore or a dump of a volume checkpoint: its
     * chunks are all under its own volume's key), without listing the repository's snapshots again —
     * a request in object storage. Damage is left to {@code check} to report.
     */
    public static void register(Repository repo, Snapshot snapshot) throws IOException {
        register(repo, List.of(snapshot), new ArrayList<>());
    }
}
