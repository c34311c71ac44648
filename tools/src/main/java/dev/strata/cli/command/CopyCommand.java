package dev.strata.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.cli.CliContext;
import dev.strata.core.error.ExitCode;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotFilter;
import dev.strata.snapshot.SnapshotSelector;
import dev.strata.snapshot.Snapshots;
import dev.strata.snapshot.copy.SnapshotCopy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/** {@code strata copy}: snapshots from one repository into another, sending only the chunks the target lacks. */
@Command(name = "copy", description = {
        "Copy snapshots from one repository into another (a second, off-site copy: local to S3 and back).",
        "Only chunks the target lacks are stored; copying again copies nothing, and an interrupted copy",
        "resumes where it stopped. Copies keep their time, host, paths, tags and kind."})
final class CopyCommand implements Callable<Integer> {
    private final CliContext ctx;

    @Option(names = "--from", required = true, paramLabel = "PATH|s3:URL",
            description = "The repository to copy from.")
    String from;

    @Option(names = "--to", paramLabel = "PATH|s3:URL",
            description = "The repository to copy into (default: $STRATA_REPO, else ~/.local/share/strata/repository).")
    String to;

    @Option(names = "--from-password-file", paramLabel = "FILE",
            description = "The source's password, from the first line of FILE (default: $STRATA_FROM_PASSWORD_FILE, $STRATA_FROM_PASSWORD, or a prompt).")
    Path fromPasswordFile;

    @Option(names = "--to-password-file", paramLabel = "FILE",
            description = "The target's password, from the first line of FILE (default: $STRATA_PASSWORD_FILE, $STRATA_PASSWORD, or a prompt).")
    Path toPasswordFile;

    @Option(names = "--s3-ca", paramLabel = "FILE", description = "S3, both repositories: trust the certificate authorities in this PEM file.")
    Path s3Ca;

    @Option(names = "--s3-region", paramLabel = "REGION", description = "S3, both repositories: the region to sign requests for.")
    String s3Region;

    @Option(names = "--s3-addressing", paramLabel = "auto|path|virtual", description = "S3, both repositories: path-style or virtual-host requests.")
    String s3Addressing;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Where the local index caches live (default: $STRATA_CACHE_DIR, else ~/.cache/strata).")
    Path cacheDir;

    @Option(names = "--retry-lock", paramLabel = "DURATION", converter = WaitDuration.class,
            description = "If another process holds a conflicting lock, keep trying for up to DURATION.")
    Duration retryLock = Duration.ZERO;

    @Mixin
    OutputArgs output;

    @Parameters(paramLabel = "SNAPSHOT", arity = "0..*",
            description = "Snapshots of the source to copy ('latest' or ids; default: every one the target does not hold).")
    List<String> snapshots = new ArrayList<>();

    CopyCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    private RepoArgs repoArgs(String location) {
        RepoArgs a = new RepoArgs();
        a.repo = location;
        a.s3Ca = s3Ca;
        a.s3Region = s3Region;
        a.s3Addressing = s3Addressing;
        a.cacheDir = cacheDir;
        a.retryLock = retryLock;
        return a;
    }

    @Override
    public Integer call() throws Exception {
        RepoArgs source = repoArgs(from);
        RepoArgs target = repoArgs(to);
        UnaryOperator<dev.strata.core.repo.OpenOptions> same = o -> o;
        try (Repository src = RepositoryAccess.open(ctx, source, LockMode.READ, same,
                () -> Passwords.existing(ctx, fromPasswordFile, "--from-password-file", "STRATA_FROM_",
                        "password of " + RepositoryAccess.location(ctx, source) + ": "));
             Repository dst = RepositoryAccess.open(ctx, target, LockMode.APPEND, same,
                () -> Passwords.existing(ctx, toPasswordFile, "--to-password-file", "STRATA_",
                        "password of " + RepositoryAccess.location(ctx, target) + ": "))) {
            List<Snapshot> all = new Snapshots(src).list();
            List<Snapshot> chosen = all;
            if (!snapshots.isEmpty()) {
                Map<String, Snapshot> named = new LinkedHashMap<>();
                for (String spec : snapshots) {
                    Snapshot s = SnapshotSelector.select(all, spec, SnapshotFilter.ANY);
                    named.put(s.id().toString(), s);
                }
                chosen = new ArrayList<>(named.values());
            }
            SnapshotCopy.Result r = new SnapshotCopy(src, dst).copy(chosen, item -> {
                if (!output.json && !output.quiet) {
                    Snapshot s = item.source();
                    ctx.out().printf("copied %s (%s, %s, %s) as %s%n", s.shortId(), Times.local(s.time()), s.host(),
                            String.join(" ", s.paths()), item.copy().shortId());
                }
            });
            print(r);
        }
        return ExitCode.OK.code();
    }

    private void print(SnapshotCopy.Result r) throws Exception {
        if (output.json) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            ArrayNode copied = n.putArray("copied");
            r.copied().forEach(i -> copied.addObject().put("source", i.source().id().toString())
                    .put("copy", i.copy().id().toString()));
            ArrayNode present = n.putArray("present");
            r.present().forEach(i -> present.addObject().put("source", i.source().id().toString())
                    .put("copy", i.copy().id().toString()));
            n.put("chunksRead", r.chunksRead());
            n.put("bytesRead", r.bytesRead());
            n.put("chunksKnown", r.chunksKnown());
            n.put("chunksStored", r.chunksStored());
            n.put("bytesStored", r.bytesStored());
            ctx.out().println(Json.MAPPER.writeValueAsString(n));
            return;
        }
        if (output.quiet) {
            return;
        }
        ctx.out().printf("%d snapshot%s copied, %d already in the target%n", r.copied().size(),
                r.copied().size() == 1 ? "" : "s", r.present().size());
        ctx.out().printf("read %,d chunks (%s) from the source; stored %,d chunks (%s) in the target%n",
                r.chunksRead(), Sizes.human(r.bytesRead()), r.chunksStored(), Sizes.human(r.bytesStored()));
    }
}
