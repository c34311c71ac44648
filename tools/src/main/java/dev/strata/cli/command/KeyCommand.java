package dev.strata.cli.command;

import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.repo.KeyInfo;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code strata key}: the repository's passwords. */
@Command(name = "key", description = "Manage the repository's passwords (key files).",
        subcommands = {KeyCommand.Add.class, KeyCommand.ListKeys.class, KeyCommand.Remove.class, KeyCommand.Passwd.class})
final class KeyCommand {

    /** What every key subcommand has: the repository, opened with the lock the subcommand needs, and the output options. */
    abstract static class KeySubcommand implements Callable<Integer> {
        final CliContext ctx;
        private final LockMode lock;
        @Mixin
        RepoArgs repo;
        @Mixin
        OutputArgs output;

        KeySubcommand(CliContext ctx, LockMode lock) {
            this.ctx = ctx;
            this.lock = lock;
        }

        abstract void run(Repository r) throws Exception;

        @Override
        public final Integer call() throws Exception {
            try (Repository r = RepositoryAccess.open(ctx, repo, lock)) {
                run(r);
            }
            return ExitCode.OK.code();
        }
    }

    @Command(name = "add", description = "Add a password.")
    static final class Add extends KeySubcommand {
        @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE instead of asking.")
        Path newPasswordFile;

        Add(CliContext ctx) {
            super(ctx, LockMode.WRITE);
        }

        @Override
        void run(Repository r) throws Exception {
            String id = r.keys().add(Passwords.fresh(ctx, newPasswordFile, false, "new password"));
            if (output.json) {
                ctx.out().println(Json.MAPPER.writeValueAsString(Json.MAPPER.createObjectNode().put("id", id)));
            } else if (!output.quiet) {
                ctx.out().println("added key " + id);
            }
        }
    }

    @Command(name = "list", description = "List the key files.")
    static final class ListKeys extends KeySubcommand {
        ListKeys(CliContext ctx) {
            super(ctx, LockMode.READ);
        }

        @Override
        void run(Repository r) throws Exception {
            var keys = r.keys().list();
            if (output.json) {
                var arr = Json.MAPPER.createArrayNode();
                for (KeyInfo k : keys) {
                    var o = arr.addObject().put("id", k.id()).put("created", k.created().toString()).put("host", k.host())
                            .put("user", k.user()).put("current", k.current());
                    if (k.damage() != null) {
                        o.put("damage", k.damage());
                    }
                }
                ctx.out().println(Json.MAPPER.writeValueAsString(arr));
            } else {
                ctx.out().printf("  %-32s  %-20s  %-20s  %s%n", "id", "created", "host", "user");
                for (KeyInfo k : keys) {
                    if (k.damage() != null) {
                        ctx.out().printf("! %-32s  unusable: %s%n", k.id(), k.damage());
                        continue;
                    }
                    ctx.out().printf("%s %-32s  %-20s  %-20s  %s%n", k.current() ? "*" : " ", k.id(),
                            k.created().toString().substring(0, 19).replace('T', ' '), k.host(), k.user());
                }
            }
        }
    }

    @Command(name = "remove", description = "Remove a password (not the one in use).")
    static final class Remove extends KeySubcommand {
        @Parameters(paramLabel = "ID", description = "The key's id or a unique prefix of it.")
        String id;

        Remove(CliContext ctx) {
            super(ctx, LockMode.WRITE);
        }

        @Override
        void run(Repository r) throws Exception {
            r.keys().remove(id);
            if (!output.quiet && !output.json) {
                ctx.out().println("removed key " + id);
            }
        }
    }

    @Command(name = "passwd", description = "Change the password in use.")
    static final class Passwd extends KeySubcommand {
        @Option(names = "--new-password-file", paramLabel = "FILE", description = "Read the new password from FILE instead of asking.")
        Path newPasswordFile;

        Passwd(CliContext ctx) {
            super(ctx, LockMode.WRITE);
        }

        @Override
        void run(Repository r) throws Exception {
            String id = r.keys().changePassword(Passwords.fresh(ctx, newPasswordFile, false, "new password"));
            if (!output.quiet && !output.json) {
                ctx.out().println("password changed; new key " + id);
            }
        }
    }
}
