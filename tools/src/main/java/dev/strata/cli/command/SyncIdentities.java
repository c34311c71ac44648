package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.sync.config.ConfigFolder;
import dev.strata.sync.identity.DeviceIdentity;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** This device's identity for the sync commands: loaded, or made on first use with a note on standard error. */
final class SyncIdentities {
    private SyncIdentities() {
    }

    static DeviceIdentity loadOrCreate(CliContext ctx) throws IOException {
        Path folder = ConfigFolder.resolve(ctx.env());
        Optional<DeviceIdentity> existing = DeviceIdentity.load(folder);
        if (existing.isPresent()) {
            return existing.get();
        }
        DeviceIdentity made = DeviceIdentity.loadOrCreate(folder, ctx.clock());
        ctx.err().println("strata: made this device's identity in " + folder.resolve(DeviceIdentity.FILE_NAME));
        return made;
    }
}
