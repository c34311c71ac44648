package dev.strata.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.Hex;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;

import java.util.Locale;

/**
 * What a volume checkpoint says about its volume (the {@code extra} of a snapshot of kind
 * {@code volume}, docs/format.md): the volume's name and id, what the checkpoint marks, and the
 * volume's settings, and for a shareable volume its own keys, wrapped (docs/format.md §2.4). Immutable.
 */
public record VolumeRecord(String name, byte[] volumeId, Event event, VolumeSettings settings, byte[] keys) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a checkpoint marks: the volume's creation, a state of it, or its removal. */
    public enum Event {
        CREATED, CHECKPOINT, REMOVED;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public VolumeRecord {
        VolumeNames.check(name);
        if (volumeId.length != 16) {
            throw new IllegalArgumentException("a volume id is 16 bytes");
        }
        volumeId = volumeId.clone();
        keys = keys == null ? null : keys.clone();
    }

    /** A volume with the repository's keys. */
    public VolumeRecord(String name, byte[] volumeId, Event event, VolumeSettings settings) {
        this(name, volumeId, event, settings, null);
    }

    /** The volume's own keys, wrapped under the repository's key; null for a volume with the repository's keys. */
    @Override
    public byte[] keys() {
        return keys == null ? null : keys.clone();
    }

    /** The volume's own keys, opened under {@code repositoryKey}; empty for a volume with the repository's keys. */
    public java.util.Optional<dev.strata.core.crypto.VolumeKeys> openKeys(dev.strata.core.crypto.MasterKey repositoryKey)
            throws CorruptDataException {
        return keys == null ? java.util.Optional.empty()
                : java.util.Optional.of(dev.strata.core.crypto.VolumeKeys.unwrap(repositoryKey, volumeId, keys));
    }

    @Override
    public byte[] volumeId() {
        return volumeId.clone();
    }

    public String volumeIdHex() {
        return Hex.encode(volumeId);
    }

    public VolumeRecord with(Event newEvent) {
        return new VolumeRecord(name, volumeId, newEvent, settings, keys);
    }

    public VolumeRecord with(VolumeSettings newSettings) {
        return new VolumeRecord(name, volumeId, event, newSettings, keys);
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("volume", name);
        n.put("volumeId", volumeIdHex());
        n.put("event", event.jsonName());
        n.set("settings", settings.toJson());
        if (keys != null) {
            n.put("keys", java.util.Base64.getEncoder().encodeToString(keys));
        }
        return n;
    }

    /** The record of a volume snapshot; damage naming the snapshot when its extra is out of shape. */
    public static VolumeRecord of(Snapshot s) throws CorruptDataException {
        if (s.kind() != SnapshotKind.VOLUME) {
            throw new IllegalArgumentException("snapshot " + s.shortId() + " is not a volume checkpoint");
        }
        JsonNode x = s.extra();
        try {
            if (x == null || !x.path("volume").isTextual() || !x.path("volumeId").isTextual() || !x.path("event").isTextual()) {
                throw new IllegalArgumentException("volume, volumeId or event missing");
            }
            Event event = Event.valueOf(x.get("event").asText().toUpperCase(Locale.ROOT));
            if (!x.path("keys").isMissingNode() && !x.path("keys").isTextual()) {
                throw new IllegalArgumentException("keys is not text");
            }
            byte[] keys = x.path("keys").isTextual() ? java.util.Base64.getDecoder().decode(x.get("keys").asText()) : null;
            return new VolumeRecord(x.get("volume").asText(), Hex.decode(x.get("volumeId").asText()), event,
                    VolumeSettings.fromJson(x.path("settings")), keys);
        } catch (IllegalArgumentException e) {
            throw new CorruptDataException("volume checkpoint " + s.shortId() + ": " + e.getMessage());
        }
    }
}
