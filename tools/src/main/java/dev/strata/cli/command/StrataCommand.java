package dev.strata.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.List;

/**
 * The root of the {@code strata} command line: global options and the list of commands. The commands
 * are not in the annotation: picocli would build every one of them for each command line, which
 * costs most of a second (reflection over some 80 command classes and the types they name); the
 * command line adds the commands it needs ({@code Cli}).
 */
@Command(name = "strata",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A filesystem with built-in backup: deduplicated, compressed, encrypted.",
        footer = {"",
                "Repository: --repo, else $STRATA_REPO, else ~/.local/share/strata/repository;",
                "            a folder, or s3:https://HOST[:PORT]/BUCKET[/PREFIX] (AWS credentials chain).",
                "Password:   --password-file, else $STRATA_PASSWORD_FILE, else $STRATA_PASSWORD,",
                "            else a prompt on the terminal.",
                "Exit codes: 0 ok, 1 failure, 2 usage, 3 incomplete, 10 not a repository,",
                "            11 wrong password, 12 unsupported format, 13 locked,",
                "            14 damaged data, 15 not found, 16 already exists,",
                "            20 storage refused the credentials, 21 no such bucket,",
                "            22 storage denied access, 23 storage unreachable."})
public final class StrataCommand {
    /** The commands, in the order the help lists them. */
    public static final List<Class<?>> COMMANDS = List.of(
            DemoCommand.class,
            InitCommand.class,
            BackupCommand.class,
            ImageCommand.class,
            VolumeCommand.class,
            SyncCommand.class,
            SnapshotsCommand.class,
            LsCommand.class,
            DiffCommand.class,
            FindCommand.class,
            RestoreCommand.class,
            DumpCommand.class,
            ForgetCommand.class,
            PruneCommand.class,
            CheckCommand.class,
            KeyCommand.class,
            StatsCommand.class,
            RepairCommand.class,
            CopyCommand.class,
            UnlockCommand.class,
            MountCommand.class,
            UmountCommand.class,
            ConfigCommand.class,
            RunCommand.class,
            JobsCommand.class,
            DaemonCommand.class,
            HelpCommand.class);

    /** The repository options, also accepted before the command name (handed to the command that runs). */
    @Mixin
    RepoArgs repo;

    /** The output options, likewise. */
    @Mixin
    OutputArgs output;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;
}
