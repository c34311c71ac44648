package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.cli.jobs.JobScheduler;
import dev.strata.cli.jobs.JobsConfig;
import dev.strata.cli.jobs.Notifier;
import dev.strata.cli.jobs.SystemdUnit;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import dev.strata.core.repo.CacheLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code strata daemon}: runs the configuration file's jobs on their schedules and keeps its mounts
 * up, reading the file again on SIGHUP, until SIGTERM or Ctrl-C; {@code install} and {@code uninstall}
 * manage its systemd unit.
 */
@Command(name = "daemon", description = {"Run the jobs of the configuration file on their schedules and keep its mounts up,",
        "logging to stdout (the journal under systemd); SIGHUP reads the configuration file again (a file with",
        "problems is refused and logged); SIGTERM or Ctrl-C stops it, letting a job under way finish."},
        subcommands = {DaemonCommand.Install.class, DaemonCommand.Uninstall.class})
final class DaemonCommand implements Callable<Integer> {
    /** How long a stop waits for a job under way; systemd's TimeoutStopSec (90 s) leaves room for the mounts after it. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    /** The launcher's heap for backups (README, "Memory"); the daemon runs them in process. */
    private static final List<String> BACKUP_HEAP = List.of("-Xms64m", "-Xmx1g");

    private final CliContext ctx;
    @Mixin
    ConfigArgs config;

    @Option(names = "--tick", paramLabel = "DURATION", converter = WaitDuration.class, defaultValue = "15s",
            description = "How often due jobs are looked for (default: ${DEFAULT-VALUE}).")
    Duration tick;

    DaemonCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        if (tick.isZero()) {
            throw new UserFacingException(ExitCode.USAGE, "--tick must be longer than 0s");
        }
        JobsConfig c = config.load(ctx);
        Consumer<String> log = ConfigArgs.log(ctx, ctx.out());
        StopSignals signals = StopSignals.install();
        JobScheduler scheduler = new JobScheduler(c, ConfigArgs.runner(ctx, c, log), ConfigArgs.state(ctx), ctx.clock(),
                ConfigArgs.zone(), tick, log, new Notifier(ctx.env(), log),
                () -> dev.strata.cli.jobs.PowerSource.onBattery(dev.strata.cli.jobs.PowerSource.SYSFS));
        Thread stopper = new Thread(() -> {
            try {
                signals.await(Duration.ofDays(365_000));
                log.accept("stop requested");
                scheduler.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "strata-daemon-stop");
        stopper.setDaemon(true);
        stopper.start();
        try (MountKeeper mounts = new MountKeeper(ctx, c, log)) {
            mounts.start();
            if (!HangupSignal.install(new ConfigReload(ctx, c, scheduler, mounts, log))) {
                log.accept("WARNING SIGHUP cannot reach this process (started with it ignored, as nohup does, or"
                        + " with -Xrs): the configuration is read at start only; restart the daemon to change it");
            }
            scheduler.run(STOP_GRACE);
        }
        log.accept("daemon stopped");
        return ExitCode.OK.code();
    }

    /** {@code strata daemon install}: writes the systemd unit and enables it where systemd runs. */
    @Command(name = "install", description = {"Write a systemd unit that runs 'strata daemon' and enable it (the system's as root, --user for yours).",
            "Where systemd does not run (a container), the unit is written and the command to enable it printed."})
    static final class Install implements Callable<Integer> {
        private final CliContext ctx;
        @Mixin
        ConfigArgs config;

        @Option(names = "--user", description = "A unit of your own user manager (~/.config/systemd/user), running while you are logged in (or always, with 'loginctl enable-linger').")
        boolean user;

        @Option(names = "--unit-dir", paramLabel = "DIR", description = "Write the unit here instead of systemd's folder (tests, packaging).")
        Path unitDir;

        @Option(names = "--no-enable", description = "Only write the unit; do not call systemctl.")
        boolean noEnable;

        Install(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            if (!user && !ConfigArgs.isRoot() && unitDir == null) {
                throw new UserFacingException(ExitCode.USAGE, "a system unit needs root: run as root, or use --user for a unit of your own");
            }
            JobsConfig c = config.load(ctx); // a unit for a file that does not work would only fail in the journal
            Path dir = unitDir != null ? unitDir : SystemdUnit.folder(user, ctx.env());
            Files.createDirectories(dir);
            Path unit = dir.resolve(SystemdUnit.NAME);
            List<String> command = new ArrayList<>(launcher());
            command.addAll(List.of("daemon", "--config", c.file().toString()));
            Path tmp = dir.resolve(SystemdUnit.NAME + ".tmp");
            Files.writeString(tmp, SystemdUnit.text(command, user));
            Files.move(tmp, unit, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            ctx.out().println("wrote " + unit);
            String systemctl = "systemctl" + (user ? " --user" : "");
            if (noEnable || unitDir != null) {
                ctx.out().println("enable it with: " + systemctl + " daemon-reload && " + systemctl + " enable --now " + SystemdUnit.NAME);
            } else if (!SystemdUnit.systemdRunning()) {
                ctx.out().println("systemd does not run here, so the unit was not enabled; where it does: "
                        + systemctl + " daemon-reload && " + systemctl + " enable --now " + SystemdUnit.NAME);
            } else {
                Systemctl.run(user, "daemon-reload");
                Systemctl.run(user, "enable", "--now", SystemdUnit.NAME);
                ctx.out().println("enabled and started; its log: journalctl" + (user ? " --user" : "") + " -u " + SystemdUnit.NAME + " -f");
            }
            return ExitCode.OK.code();
        }

        /**
         * The command the unit runs: the {@code strata} launcher on the PATH when there is one (it
         * brings its JVM options), else this very JVM and class path.
         */
        private List<String> launcher() throws IOException {
            String path = ctx.env().getOrDefault("PATH", "");
            for (String d : path.split(":")) {
                if (!d.isEmpty() && Path.of(d).isAbsolute() && Files.isExecutable(Path.of(d, "strata"))) {
                    return List.of(Path.of(d, "strata").toString());
                }
            }
            List<String> java = new ArrayList<>(DaemonLauncher.javaCommand(CacheLocation.resolve(null, ctx.env()), false));
            // The daemon runs backups in its own JVM: a backup's heap (as the launcher gives it), not a mount's.
            java.addAll(java.indexOf("-cp"), BACKUP_HEAP);
            return java;
        }
    }

    /** {@code strata daemon uninstall}: stops, disables and removes the unit. */
    @Command(name = "uninstall", description = "Stop and disable the systemd unit of 'strata daemon' and remove it.")
    static final class Uninstall implements Callable<Integer> {
        private final CliContext ctx;

        @Option(names = "--user", description = "The unit of your own user manager.")
        boolean user;

        @Option(names = "--unit-dir", paramLabel = "DIR", description = "Remove the unit from here instead of systemd's folder.")
        Path unitDir;

        Uninstall(CliContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws Exception {
            Path unit = (unitDir != null ? unitDir : SystemdUnit.folder(user, ctx.env())).resolve(SystemdUnit.NAME);
            if (!Files.exists(unit)) {
                throw new UserFacingException(ExitCode.NOT_FOUND, "no unit to remove: " + unit + " does not exist");
            }
            boolean systemd = unitDir == null && SystemdUnit.systemdRunning();
            if (systemd) {
                Systemctl.run(user, "disable", "--now", SystemdUnit.NAME);
            }
            Files.delete(unit);
            if (systemd) {
                Systemctl.run(user, "daemon-reload");
            }
            ctx.out().println("removed " + unit + (systemd ? " (stopped and disabled)" : ""));
            return ExitCode.OK.code();
        }
    }

    /** {@code systemctl}, whose failure is a one-line error with its own last line. Stateless. */
    private static final class Systemctl {
        private Systemctl() {
        }

        static void run(boolean user, String... args) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("systemctl"));
            if (user) {
                cmd.add("--user");
            }
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            int code = p.waitFor();
            if (code != 0) {
                String last = out.isEmpty() ? "" : ": " + out.lines().reduce((a, b) -> b).orElse("");
                throw new UserFacingException(ExitCode.FAILURE, String.join(" ", cmd) + " exited with " + code + last);
            }
        }
    }
}
