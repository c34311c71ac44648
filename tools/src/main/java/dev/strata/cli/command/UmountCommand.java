package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.fuse.FuseMount;
import dev.strata.fuse.Unmounter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code strata umount}: ends a mount made by {@code strata mount}. */
@Command(name = "umount", aliases = "unmount", description = "Unmount a mounted repository (lazily if it is busy).")
final class UmountCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Parameters(index = "0", paramLabel = "MOUNTPOINT")
    Path mountpoint;

    UmountCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        Path mp = mountpoint.toAbsolutePath().normalize();
        if (!FuseMount.isMounted(mp)) {
            throw new UserFacingException(ExitCode.NOT_FOUND, "nothing is mounted at " + mp);
        }
        Unmounter.unmount(mp);
        ctx.out().println("Unmounted " + mp);
        return ExitCode.OK.code();
    }
}
