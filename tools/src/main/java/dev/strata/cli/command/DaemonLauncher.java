package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.cli.CrashReports;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.fuse.FuseMount;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts {@code strata mount} in a detached process (a JVM cannot fork itself) and returns once the
 * mount is there. The password is checked here first, so a typo is reported at once, and handed to
 * the child through a pipe, never on its command line or in its environment.
 */
final class DaemonLauncher {
    private static final long READY_TIMEOUT_MILLIS = 60_000;

    private final CliContext ctx;
    private final RepoArgs repo;
    private final Path logFile;

    DaemonLauncher(CliContext ctx, RepoArgs repo, Path logFile) {
        this.ctx = ctx;
        this.repo = repo;
        this.logFile = logFile;
    }

    int start(Path mp, boolean allowOther, int threads, String volume, Path stateRoot, String syncListen) throws IOException, InterruptedException {
        char[] password = Passwords.existing(ctx, repo.passwordFile);
        // Opens once to report a wrong password or a locked repository here, not in a log file.
        RepoArgs checked = new RepoArgs();
        checked.repo = RepositoryAccess.location(ctx, repo);
        checked.s3Ca = repo.s3Ca;
        checked.s3Region = repo.s3Region;
        checked.s3Addressing = repo.s3Addressing;
        checked.cacheDir = RepositoryAccess.cacheRoot(ctx, repo);
        checked.retryLock = repo.retryLock;
        try (Repository r = RepositoryAccess.open(ctx.withEnv(withPassword(password)), checked, LockMode.READ)) {
            r.store();
        }
        Path log = logFile != null ? logFile : checked.cacheDir.resolve("mount.log");
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> cmd = new ArrayList<>(javaCommand(checked.cacheDir, true));
        cmd.addAll(List.of("mount", "--repo", checked.repo, "--cache-dir", checked.cacheDir.toString(), "--password-file", "/dev/stdin",
                "--threads", Integer.toString(threads)));
        cmd.addAll(RepositoryAccess.s3Options(checked));
        if (allowOther) {
            cmd.add("--allow-other");
        }
        cmd.addAll(List.of("--state-dir", stateRoot.toString(), "--sync-listen", syncListen));
        if (volume != null) {
            cmd.addAll(List.of("--volume", volume));
        }
        cmd.add(mp.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().remove("STRATA_PASSWORD");
        pb.environment().remove("STRATA_PASSWORD_FILE");
        Process child = pb.start();
        try (OutputStream in = child.getOutputStream()) {
            byte[] pw = new String(password).getBytes(StandardCharsets.UTF_8);
            in.write(pw);
            Arrays.fill(pw, (byte) 0);
        }
        Arrays.fill(password, '\0');
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (FuseMount.isMounted(mp)) {
                ctx.out().println("Mounted at " + mp + " (process " + child.pid() + ", log " + log + ");"
                        + " 'strata umount " + mp + "' unmounts.");
                return ExitCode.OK.code();
            }
            if (!child.isAlive()) {
                throw new UserFacingException(ExitCode.FAILURE, "the mount process ended with exit code " + child.exitValue()
                        + "; see " + log);
            }
            Thread.sleep(50);
        }
        child.destroy();
        throw new UserFacingException(ExitCode.FAILURE, "the mount was not ready within 60 s; see " + log);
    }

    private static java.util.Map<String, String> withPassword(char[] password) {
        return java.util.Map.of("STRATA_PASSWORD", new String(password));
    }

    /**
     * This JVM again, with a mount's heap, detached from the terminal (setsid) when {@code detached}
     * so closing it does not end the mount; a crash report goes to the cache folder, not the folder
     * the mount was started from.
     */
    static List<String> javaCommand(Path cacheRoot, boolean detached) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (detached && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // Debugger agents and the like would clash with this process's.
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
                cmd.add(arg);
            }
        }
        cmd.addAll(MountCommand.MOUNT_JVM_OPTIONS);
        cmd.add(CrashReports.errorFileOption(cacheRoot));
        cmd.addAll(List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.strata.cli.Main"));
        return cmd;
    }
}
