package dev.strata.sync.volumes;

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
import java.util.Locale;
import java.util.Optional;

/**
 * The volumes this device shares and joins, in {@code shares.json} in the configuration folder
 * (docs/sync.md, "Sharing a volume"). Every change is a read, change and atomic replace under a lock
 * file, as for the peer list. Thread-safe (holds no state between calls).
 */
public final class ShareBook {
    public static final String FILE_NAME = "shares.json";
    private static final String LOCK_NAME = ".shares.lock";
    private static final String FORMAT = "strata-shares";
    private static final int VERSION = 1;
    private static final Object IN_PROCESS = new Object();

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

    private final Path folder;
    private final Clock clock;

    public ShareBook(Path folder, Clock clock) {
        this.folder = folder;
        this.clock = clock;
    }

    public Path file() {
        return folder.resolve(FILE_NAME);
    }

    public Instant now() {
        return clock.instant();
    }

    public List<Share> list() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file());
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return decode(bytes);
    }

    public Optional<Share> find(String name) throws IOException {
        return list().stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Puts {@code s} in place of the share of the same name, or adds it. */
    public void put(Share s) throws IOException {
        synchronized (IN_PROCESS) {
            ConfigFiles.ensureFolder(folder);
            try (FileChannel ch = FileChannel.open(folder.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                List<Share> all = new ArrayList<>(list());
                all.removeIf(x -> x.name().equals(s.name()));
                all.add(s);
                write(all);
            }
        }
    }

    /** Replaces the share called {@code name}, if there is one, by what {@code change} makes of it as it is now. */
    public void update(String name, java.util.function.UnaryOperator<Share> change) throws IOException {
        synchronized (IN_PROCESS) {
            ConfigFiles.ensureFolder(folder);
            try (FileChannel ch = FileChannel.open(folder.resolve(LOCK_NAME), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                List<Share> all = new ArrayList<>(list());
                for (int i = 0; i < all.size(); i++) {
                    if (all.get(i).name().equals(name)) {
                        all.set(i, change.apply(all.get(i)));
                        write(all);
                        return;
                    }
                }
            }
        }
    }

    private void write(List<Share> shares) throws IOException {
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
        ConfigFiles.replace(file(), VersionedJson.bytes(root));
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
