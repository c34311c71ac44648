package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.crypto.VolumeKeys;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.id.Hex;
import dev.strata.core.repo.Repository;
import dev.strata.core.tree.TreeStore;
import dev.strata.sync.SyncNode;
import dev.strata.sync.chunks.StoreChunks;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.net.SyncLog;
import dev.strata.sync.volumes.ConflictLog;
import dev.strata.sync.volumes.KeysDirectory;
import dev.strata.sync.volumes.ShareBook;
import dev.strata.sync.volumes.SharedVolume;
import dev.strata.sync.volumes.VolumeService;
import dev.strata.sync.wire.SpaceId;
import dev.strata.sync.wire.VolumeMessages;
import dev.strata.volume.VolumeCatalog;
import dev.strata.volume.VolumeHome;
import dev.strata.volume.VolumeSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The shared volumes a {@code strata sync run} holds: it opens each shared volume not open in another
 * process (a mount syncs its own), serves it through the volume service, answers joining peers with a
 * volume's keys, and turns a join into a volume once the peer sends the keys. Followed once a second
 * ({@link #refresh}); confined to the run's thread, but {@link #keysFor} and the device sets are read
 * from connection threads.
 */
final class SyncVolumes implements KeysDirectory, AutoCloseable {
    private final CliContext ctx;
    private final Repository repo;
    private final ShareBook shares;
    private final SyncLog log;
    private final Path stateRoot;
    private final long me;
    private final ConflictLog conflicts;
    private final Map<String, VolumeHome> open = new LinkedHashMap<>();
    private final Map<String, Set<DeviceId>> devices = new ConcurrentHashMap<>();
    private final Map<String, SharedVolume> served = new ConcurrentHashMap<>();
    private final Set<String> skipped = new HashSet<>();
    private final Map<String, Long> nextJoin = new HashMap<>();
    private final Map<String, String> joinFailures = new HashMap<>();
    private static final java.time.Duration JOIN_RETRY = java.time.Duration.ofSeconds(2);
    private static final java.time.Duration JOIN_RETRY_REFUSED = java.time.Duration.ofSeconds(60);
    private VolumeService service;
    private boolean joining;
    /** Joins whose peer refused the keys: asked again every {@link #JOIN_RETRY_REFUSED}, not looked at sooner. */
    private final Set<String> refusedJoins = new HashSet<>();

    SyncVolumes(CliContext ctx, Repository repo, ShareBook shares, SyncLog log, Path stateRoot, DeviceId me,
                ConflictLog conflicts) {
        this.ctx = ctx;
        this.repo = repo;
        this.shares = shares;
        this.log = log;
        this.stateRoot = stateRoot;
        this.me = SharedVolume.shortId(me);
        this.conflicts = conflicts;
    }

    void attach(VolumeService s) {
        this.service = s;
    }

    /** Opens shared volumes not held yet, follows changes of their devices, and tries pending joins. */
    void refresh(SyncNode node) throws IOException {
        joining = false;
        for (ShareBook.Share s : shares.list()) {
            devices.put(s.name(), Set.copyOf(s.devices()));
            follow(s);
            if (s.joining()) {
                // A volume just joined is opened at once: its records are asked for without waiting for the next look.
                Optional<ShareBook.Share> joined = join(node, s);
                if (joined.isPresent()) {
                    openShared(joined.get());
                } else if (!refusedJoins.contains(s.name())) {
                    joining = true;
                }
            } else if (!open.containsKey(s.name()) && !skipped.contains(s.name())) {
                openShared(s);
            }
        }
    }

    private void openShared(ShareBook.Share s) throws IOException {
        VolumeCatalog catalog = VolumeAccess.catalog(ctx, repo);
        Optional<VolumeCatalog.Entry> entry = catalog.find(s.name());
        if (entry.isEmpty() || !entry.get().record().volumeIdHex().equals(s.volumeId())) {
            log.info("volume " + s.name() + " is shared but not in this repository" + (entry.isEmpty() ? "" : " (another volume has its name)")
                    + ": skipped");
            skipped.add(s.name());
            return;
        }
        VolumeHome home;
        try {
            home = VolumeHome.open(repo, catalog, entry.get(), stateRoot, new TreeStore(repo.store()), ctx.clock(),
                    line -> log.info("volume " + s.name() + ": " + line), true, "");
        } catch (UserFacingException e) {
            log.info("volume " + s.name() + " skipped: " + e.getMessage());
            skipped.add(s.name());
            return;
        }
        try {
            serve(s, home, entry.get());
            open.put(s.name(), home);
        } catch (IOException | RuntimeException e) {
            home.close();
            throw e;
        }
    }

    /** Syncs a shared volume another part of this process opened (a mount's), which stays its to close. */
    void adopt(ShareBook.Share s, VolumeHome home) throws IOException {
        devices.put(s.name(), Set.copyOf(s.devices()));
        serve(s, home, VolumeAccess.catalog(ctx, repo).require(s.name()));
    }

    private void serve(ShareBook.Share s, VolumeHome home, VolumeCatalog.Entry entry) throws IOException {
        VolumeKeys keys = entry.record().openKeys(repo.key()).orElseThrow(
                () -> new IOException("volume " + s.name() + " has no keys of its own: it cannot be shared"));
        home.volume().state().enableSync(me);
        SharedVolume v = new SharedVolume(s.name(), home.volume().state(), StoreChunks.volumeSpace(repo.volumeStore(keys)),
                home.volume().trees(), peer -> devices.getOrDefault(s.name(), Set.of()).contains(peer),
                home.volume().data(), log, conflicts);
        v.mode(s.mode());
        served.put(s.name(), v);
        service.add(v);
        log.info("syncing volume " + s.name() + " with " + s.devices().size() + (s.devices().size() == 1 ? " device" : " devices"));
    }

    /** Follows changes of the devices each volume is shared with (a mount: no volume opened, no join). */
    void refreshDevices() throws IOException {
        for (ShareBook.Share s : shares.list()) {
            devices.put(s.name(), Set.copyOf(s.devices()));
            follow(s);
        }
    }

    /** Gives a served volume the mode its share has now, and starts or closes a revert asked for. */
    private void follow(ShareBook.Share s) throws IOException {
        SharedVolume v = served.get(s.name());
        if (v == null) {
            return;
        }
        v.mode(s.mode());
        java.time.Instant asked = s.revert();
        if (asked == null) {
            return;
        }
        if (v.mode() != ShareBook.Mode.RECEIVE_ONLY) {
            log.info("volume " + s.name() + " is " + v.mode().text() + " here: nothing to revert");
            shares.update(s.name(), x -> asked.equals(x.revert()) ? x.withRevert(null) : x);
        } else if (v.reverted(asked)) {
            shares.update(s.name(), x -> asked.equals(x.revert()) ? x.withRevert(null) : x);
        } else if (!asked.equals(v.revertAsked())) {
            service.revert(v, asked);
        }
    }

    /** Whether the last look left a join waiting for its peer's keys: the run then looks again sooner. */
    boolean joining() {
        return joining;
    }

    /** Asks the peer for the volume's keys and creates the volume under them; the share as it is now, if joined. */
    private Optional<ShareBook.Share> join(SyncNode node, ShareBook.Share s) throws IOException {
        if (!node.connections().isConnected(s.from())) {
            return Optional.empty();
        }
        long now = System.nanoTime();
        Long next = nextJoin.get(s.name());
        if (next != null && now - next < 0) {
            return Optional.empty();
        }
        VolumeMessages.Keys k;
        try {
            k = service.askKeys(node.connections(), s.from(), s.name());
        } catch (IOException e) {
            // A refusal is asked again now and then (the peer may share it meanwhile), anything else soon.
            boolean refused = e instanceof VolumeService.KeysRefused;
            if (refused) {
                refusedJoins.add(s.name());
            } else {
                refusedJoins.remove(s.name());
            }
            nextJoin.put(s.name(), now + (refused ? JOIN_RETRY_REFUSED : JOIN_RETRY).toNanos());
            if (!e.getMessage().equals(joinFailures.put(s.name(), e.getMessage()))) {
                log.info("joining volume " + s.name() + " from " + s.from().shortString() + " failed: " + e.getMessage()
                        + (refused ? " (asking again every " + JOIN_RETRY_REFUSED.toSeconds() + " s)" : ""));
            }
            return Optional.empty();
        }
        VolumeKeys keys = VolumeKeys.fromPlaintext(k.volume().bytes(), k.keys());
        VolumeCatalog catalog = VolumeAccess.catalog(ctx, repo);
        catalog.create(s.name(), VolumeSettings.DEFAULT, repo.key(), keys);
        ShareBook.Share joined = s.withVolume(Hex.encode(k.volume().bytes()));
        shares.put(joined);
        log.info("joined volume " + s.name() + " (" + k.volume() + ") from " + s.from().shortString());
        return Optional.of(joined);
    }

    @Override
    public VolumeKeysPlain keysFor(String name, DeviceId peer) throws IOException {
        Optional<ShareBook.Share> s = shares.find(name);
        if (s.isEmpty() || s.get().joining()) {
            throw new IOException("this device shares no volume called '" + name + "'");
        }
        if (!s.get().devices().contains(peer)) {
            throw new IOException("volume '" + name + "' is not shared with device " + peer.shortString()
                    + " (on the sharing device: strata sync share " + name + " --with " + peer + ")");
        }
        VolumeCatalog.Entry e = VolumeAccess.catalog(ctx, repo).require(name);
        VolumeKeys keys = e.record().openKeys(repo.key())
                .orElseThrow(() -> new IOException("volume '" + name + "' is not shareable"));
        return new VolumeKeysPlain(SpaceId.of(e.record().volumeId()), name, keys.plaintext());
    }

    /** The devices volume {@code name} is shared with. */
    Set<DeviceId> devices(String name) {
        return devices.getOrDefault(name, Set.of());
    }

    List<String> held() {
        return List.copyOf(open.keySet());
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (VolumeHome h : open.values()) {
            try {
                h.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
