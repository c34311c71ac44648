package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.sync.identity.DeviceId;
import dev.strata.sync.volumes.ShareBook;
import dev.strata.volume.VolumeCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata sync share VOLUME --with ID…}: shares a shareable volume with devices. */
@Command(name = "share", description = {"Share a volume with devices (added peers): they may join it ('strata sync join",
        "VOLUME --from THIS-ID') and then every change travels both ways while 'strata sync run' or a mount runs.",
        "The volume must be shareable ('strata volume create NAME --shareable')."})
final class SyncShareCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    RepoArgs repo;

    @Parameters(index = "0", paramLabel = "VOLUME", description = "The volume to share.")
    String volume;

    @Option(names = "--with", paramLabel = "ID", required = true, arity = "1..*",
            description = "The devices to share it with (their IDs; add them as peers too).")
    List<String> with;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "How this device takes part: two-way (the default for a new share), send-only (peers' changes"
                    + " are not applied here) or receive-only (changes made here are not sent; 'strata sync revert' undoes"
                    + " them). Given again, it changes the mode.")
    String mode;

    SyncShareCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<DeviceId> devices = new ArrayList<>();
        for (String id : with) {
            devices.add(SyncArgs.deviceId(id));
        }
        String volumeId;
        try (Repository r = RepositoryAccess.open(ctx, repo, LockMode.READ)) {
            VolumeCatalog.Entry e = VolumeAccess.catalog(ctx, r).require(volume);
            if (e.record().keys() == null) {
                throw new UserFacingException(ExitCode.USAGE, "volume '" + volume + "' is not shareable: its chunks are named"
                        + " under the repository's keys. Make a shareable volume ('strata volume create NEW --shareable'),"
                        + " copy the files into its mount, and share that");
            }
            volumeId = e.record().volumeIdHex();
        }
        ShareBook book = SyncArgs.shareBook(ctx);
        ShareBook.Share s = book.find(volume)
                .orElse(new ShareBook.Share(volume, volumeId, ShareBook.Mode.TWO_WAY, List.of(), null, book.now()));
        if (s.volumeId() != null && !s.volumeId().equals(volumeId)) {
            throw new UserFacingException(ExitCode.ALREADY_EXISTS, "a volume called '" + volume + "' with another id ("
                    + s.volumeId().substring(0, 8) + ") is shared already");
        }
        if (mode != null) {
            s = s.withMode(SyncArgs.mode(mode));
        }
        book.put(s.withVolume(volumeId).withDevices(devices));
        var added = SyncArgs.peerBook(ctx);
        for (DeviceId d : devices) {
            boolean peer = added.find(d).isPresent();
            ctx.out().println("shared volume " + volume + " with " + d
                    + (s.mode() == ShareBook.Mode.TWO_WAY ? "" : " (" + s.mode().text() + " here)") + (peer ? "" : " (not an added peer yet: 'strata sync add-peer "
                    + d + " HOST:PORT')"));
        }
        return 0;
    }
}
