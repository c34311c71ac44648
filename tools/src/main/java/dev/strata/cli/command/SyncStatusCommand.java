package dev.strata.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.cli.CliContext;
import dev.strata.sync.RunLock;
import dev.strata.sync.StatusFile;
import dev.strata.sync.SyncStatus;
import dev.strata.sync.volumes.VolumeProgress;
import dev.strata.sync.config.ConfigFolder;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.net.PeerState;
import dev.strata.sync.peer.Peer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code strata sync status}: whether the sync process runs, and for each peer whether it is connected and since when. */
@Command(name = "status", description = "Show whether 'strata sync run' is running, and each peer: connected since when, or why not.")
final class SyncStatusCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    OutputArgs output;
    @Mixin
    SyncStateArgs state;

    SyncStatusCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Optional<DeviceIdentity> identity = DeviceIdentity.load(ConfigFolder.resolve(ctx.env()));
        List<Peer> peers = SyncArgs.peerBook(ctx).list();
        Path syncState = state.syncState(ctx);
        Optional<SyncStatus> published = new StatusFile(syncState).read();
        // The run lock tells a live process from one that died without saying so.
        boolean running = RunLock.isHeld(syncState) && published.map(SyncStatus::running).orElse(false);
        SyncStatus status = running ? published.get() : null;
        if (output.json) {
            ObjectNode root = Json.MAPPER.createObjectNode();
            root.put("device", identity.map(i -> i.id().toString()).orElse(null));
            root.put("running", running);
            root.put("pid", status == null ? null : status.pid());
            root.put("listen", status == null ? null : status.listen());
            root.put("started", status == null ? null : status.started().toString());
            root.put("updated", status == null ? null : status.updated().toString());
            var arr = root.putArray("peers");
            for (Peer p : peers) {
                PeerState s = stateOf(status, p);
                ObjectNode n = arr.addObject();
                n.put("id", p.id().toString());
                n.put("address", p.address().toString());
                n.put("connected", s != null && s.connected());
                n.put("since", s == null || s.since() == null ? null : s.since().toString());
                n.put("direction", s == null || s.direction() == null ? null : s.direction().name().toLowerCase(Locale.ROOT));
                n.put("remote", s == null ? null : s.remote());
                n.put("name", s == null ? null : s.name());
                n.put("lastError", s == null ? null : s.lastError());
                n.put("lastErrorAt", s == null || s.lastErrorAt() == null ? null : s.lastErrorAt().toString());
            }
            var vols = root.putArray("volumes");
            for (VolumeProgress v : status == null ? List.<VolumeProgress>of() : status.volumes()) {
                ObjectNode n = vols.addObject();
                n.put("name", v.name());
                n.put("sequence", v.sequence());
                n.put("inSync", !v.peers().isEmpty() && v.peers().stream().allMatch(p -> p.inSync(v.sequence())));
                n.put("mode", v.mode());
                if (v.mode().equals("send-only")) {
                    n.put("notApplied", v.held());
                } else if (v.mode().equals("receive-only")) {
                    n.put("notSent", v.held());
                }
                var ps = n.putArray("peers");
                for (VolumeProgress.Peer p : v.peers()) {
                    ObjectNode pn = ps.addObject();
                    pn.put("id", p.id().toString());
                    pn.put("inSync", p.inSync(v.sequence()));
                    pn.put("toSend", Math.max(0, v.sequence() - Math.max(0, p.sentThrough())));
                    pn.put("toReceive", p.theirLatest() < 0 ? null : Math.max(0, p.theirLatest() - p.applied()));
                }
            }
            ctx.out().println(Json.write(root));
            return 0;
        }
        ctx.out().println("This device: " + identity.map(i -> i.id().toString()).orElse("no identity yet ('strata sync id' makes it)"));
        if (running) {
            ctx.out().println("Sync: running (process " + status.pid() + ", since " + Times.local(status.started()) + ", listening on "
                    + status.listen() + ")");
        } else {
            ctx.out().println("Sync: not running (start it with 'strata sync run')");
        }
        if (peers.isEmpty()) {
            ctx.out().println("No peers yet: add one with 'strata sync add-peer ID HOST:PORT'.");
            return 0;
        }
        ctx.out().printf("%-63s  %-28s  %s%n", "Peer", "Address", "State");
        for (Peer p : peers) {
            ctx.out().printf("%-63s  %-28s  %s%n", p.id(), p.address(), describe(stateOf(status, p), running));
        }
        for (VolumeProgress v : status == null ? List.<VolumeProgress>of() : status.volumes()) {
            if (v.peers().isEmpty()) {
                ctx.out().println("Volume " + v.name() + ": no peer it is shared with is connected");
            }
            for (VolumeProgress.Peer p : v.peers()) {
                ctx.out().println("Volume " + v.name() + " with " + p.id().shortString() + ": " + progress(v, p));
            }
            if (v.mode().equals("send-only")) {
                ctx.out().println("Volume " + v.name() + " is send-only here: " + v.held() + (v.held() == 1 ? " path" : " paths")
                        + " changed by peers not applied");
            } else if (v.mode().equals("receive-only")) {
                ctx.out().println("Volume " + v.name() + " is receive-only here: " + v.held() + (v.held() == 1 ? " path" : " paths")
                        + " changed here not sent" + (v.held() == 0 ? "" : " ('strata sync revert " + v.name()
                        + "' puts the peers' state back; the local edits stay in versions/)"));
            }
        }
        return 0;
    }

    /** "in sync", or what is left each way (in changes: sequence numbers, an upper bound of the records). */
    private static String progress(VolumeProgress v, VolumeProgress.Peer p) {
        if (p.inSync(v.sequence())) {
            return "in sync";
        }
        List<String> left = new java.util.ArrayList<>();
        if (p.sentThrough() < 0) {
            left.add("the peer has not asked for this device's changes yet");
        } else if (p.sentThrough() < v.sequence()) {
            left.add("up to " + (v.sequence() - p.sentThrough()) + " changes to send");
        }
        if (p.theirLatest() < 0) {
            left.add("the peer has not said where it is yet");
        } else if (p.applied() < p.theirLatest()) {
            left.add("up to " + (p.theirLatest() - p.applied()) + " changes to receive");
        }
        return String.join("; ", left);
    }

    private static PeerState stateOf(SyncStatus status, Peer p) {
        if (status == null) {
            return null;
        }
        return status.peers().stream().filter(s -> s.id().equals(p.id())).findFirst().orElse(null);
    }

    private static String describe(PeerState s, boolean running) {
        if (!running) {
            return "-";
        }
        if (s != null && s.connected()) {
            return "connected since " + Times.local(s.since()) + " (" + s.direction().name().toLowerCase(Locale.ROOT) + ", " + s.remote() + ")";
        }
        if (s != null && s.lastError() != null) {
            return "not connected: " + s.lastError() + " (" + Times.local(s.lastErrorAt()) + ")";
        }
        return "not connected yet";
    }
}
