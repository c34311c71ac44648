package dev.strata.cli.e2e;

import dev.strata.core.id.PackId;
import dev.strata.core.repo.LockMode;
import dev.strata.core.repo.Repository;
import dev.strata.core.testing.TestRepositories;
import dev.strata.snapshot.prune.Prune;
import dev.strata.snapshot.prune.PruneObserver;
import dev.strata.snapshot.prune.PruneResult;

import java.nio.file.Path;

/**
 * The process {@link PruneCrashTest} kills: runs prune (--max-unused 0) on the test repository in
 * {@code args[0]} and prints "stage NAME" as each stage begins. At the stage {@code args[1]} it prints
 * "paused" and waits to be killed: on entering the stage ({@code args[2]} = "entry"), or after the
 * first pack of the stage was repacked or deleted ("mid"). Prints "finished" if it never pauses.
 */
public final class PruneCrashChild {
    private PruneCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String stop = args[1];
        boolean mid = args[2].equals("mid");
        try (Repository repo = TestRepositories.local(dir).open(LockMode.PRUNE)) {
            PruneResult result = new Prune(repo).run(0, false, new PruneObserver() {
                @Override
                public void stage(String name) {
                    say("stage " + name);
                    if (!mid && name.equals(stop)) {
                        pause();
                    }
                }

                @Override
                public void packRepacked(PackId from) {
                    say("repacked " + from.shortString());
                    if (mid && stop.equals("repack")) {
                        pause();
                    }
                }

                @Override
                public void packDeleted(PackId id) {
                    say("deleted " + id.shortString());
                    if (mid && stop.equals("delete")) {
                        pause();
                    }
                }
            });
            say("finished " + result);
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void pause() {
        say("paused");
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
