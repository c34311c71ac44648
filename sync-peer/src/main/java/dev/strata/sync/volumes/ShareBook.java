package dev.strata.sync.volumes;

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
import java.util.Locale;
import java.util.Optional;

/**
 * The volumes this device shares and joins, in {@code shares.json} in the configuration folder
 * (docs/sync.md, "Sharing a volume"), changed under a lock as {@link LockedListFile} does. Thread-safe
 * (holds no state between calls).
 */
public final class ShareBook {
    public static final String FILE_NAME = "shares.json";
    private static final String FORMAT = "strata-shares";
    private static final int VERSION = 1;

    /** How a device takes part in a shared volume (docs/sync.md, "Modes"). */
    public enum Mode {
        TWO_WAY, SEND_ONLY, RECEIVE_ONLY;

        public String text() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Mode parse(String s) {
            for (Mode m : values()) {
                if (m.text().equals(s)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("not a mode: '" + s + "' (two-way, send-only or receive-only)");
        }
    }

    /**
     * One shared volume of this device.
     *
     * @param volumeId the volume's id in hex; null while a join waits for the volume's keys
     * @param devices  the devices it is shared with
     * @param from     for a volume joined: the device it was joined from; else null
     * @param revert   when {@code strata sync revert} asked for the peers' state to be put back over the
     *                 local changes (receive-only), until the sync process has done it; else null
     */
    public record Share(String name, String volumeId, Mode mode, List<DeviceId> devices, DeviceId from, Instant added,
                        Instant revert) {
        public Share {
            devices = List.copyOf(devices);
        }

        public Share(String name, String volumeId, Mode mode, List<DeviceId> devices, DeviceId from, Instant added) {
            this(name, volumeId, mode, devices, from, added, null);
        }

        public Share withMode(Mode m) {
            return new Share(name, volumeId, m, devices, from, added, revert);
        }

        public Share withRevert(Instant asked) {
            return new Share(name, volumeId, mode, devices, from, added, asked);
        }

        public boolean joining() {
            return volumeId == null;
        }

        public Share withVolume(String id) {
            return new Share(name, id, mode, devices, from, added, revert);
        }

        public Share withDevices(List<DeviceId> more) {
            List<DeviceId> all = new ArrayList<>(devices);
            for (DeviceId d : more) {
                if (!all.contains(d)) {
                    all.add(d);
                }
            }
            return new Share(name, volumeId, mode, all, from, added, revert);
        }
    }

    private final LockedListFile<Share> file;
    private final Clock clock;

    public ShareBook(Path folder, Clock clock) {
        this.file = new LockedListFile<>(folder, FILE_NAME, new LockedListFile.Codec<>() {
            @Override
            public byte[] encode(List<Share> items) throws IOException {
                return ShareBook.encode(items);
            }

            @Override
            public List<Share> decode(byte[] bytes) throws IOException {
                return ShareBook.this.decode(bytes);
            }
        });
        this.clock = clock;
    }

    public Path file() {
        return file.file();
    }

    public Instant now() {
        return clock.instant();
    }

    public List<Share> list() throws IOException {
        return file.list();
    }

    public Optional<Share> find(String name) throws IOException {
        return list().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Puts {@code s} in place of the share of the same name, or adds it. */
    public void put(Share s) throws IOException {
        file.change(all -> {
            all.removeIf(x -> x.name().equals(s.name()));
            all.add(s);
            return null;
        });
    }

    /** Replaces the share called {@code name}, if there is one, by what {@code change} makes of it as it is now. */
    public void update(String name, java.util.function.UnaryOperator<Share> change) throws IOException {
        file.change(all -> {
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).name().equals(name)) {
                    all.set(i, change.apply(all.get(i)));
                    break;
                }
            }
            return null;
        });
    }

    private static byte[] encode(List<Share> items) throws IOException {
        List<Share> shares = new ArrayList<>(items);
        shares.sort(Comparator.comparing(Share::added).thenComparing(Share::name));
        ObjectNode root = VersionedJson.create(FORMAT, VERSION);
        ArrayNode arr = root.putArray("shares");
        for (Share s : shares) {
            ObjectNode n = arr.addObject();
            n.put("volume", s.name());
            n.put("id", s.volumeId());
            n.put("mode", s.mode().text());
            ArrayNode devices = n.putArray("devices");
            s.devices().forEach(d -> devices.add(d.toString()));
            n.put("from", s.from() == null ? null : s.from().toString());
            n.put("added", s.added().toString());
            if (s.revert() != null) {
                n.put("revert", s.revert().toString());
            }
        }
        return VersionedJson.bytes(root);
    }

    private List<Share> decode(byte[] bytes) throws IOException {
        try {
            JsonNode root = VersionedJson.read(bytes, file(), FORMAT, VERSION, "list of shared volumes");
            List<Share> out = new ArrayList<>();
            for (JsonNode n : root.path("shares")) {
                List<DeviceId> devices = new ArrayList<>();
                for (JsonNode d : n.path("devices")) {
                    devices.add(DeviceId.parse(d.asText()));
                }
                out.add(new Share(n.path("volume").asText(), n.path("id").isTextual() ? n.path("id").asText() : null,
                        Mode.parse(n.path("mode").asText()), devices,
                        n.path("from").isTextual() ? DeviceId.parse(n.path("from").asText()) : null,
                        Instant.parse(n.path("added").asText()),
                        n.path("revert").isTextual() ? Instant.parse(n.path("revert").asText()) : null));
            }
            return List.copyOf(out);
        } catch (UserFacingException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserFacingException(ExitCode.CORRUPT, "the list of shared volumes " + file() + " is damaged ("
                    + e.getMessage() + "); fix or remove it and share the volumes again", e);
        }
    }
}
