package dev.strata.snapshot.view;

import dev.strata.snapshot.Snapshot;
import dev.strata.snapshot.SnapshotKind;
import dev.strata.snapshot.Snapshots;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The snapshots a mount shows, grouped by source and named by time, refreshed from the repository
 * so that a snapshot taken while mounted appears without a remount. Thread-safe: readers see one
 * consistent state, replaced whole on refresh.
 */
public final class SnapshotCatalog {
    /** One source's snapshots, oldest first, each with its unique name. */
    public record Source(String name, List<Named> snapshots) {
    }

    /** A snapshot and its name within its source. */
    public record Named(String name, Snapshot snapshot) {
    }

    private record State(Map<String, Source> sources, List<Snapshot> all, long loadedNanos) {
    }

    private final Snapshots snapshots;
    private final SnapshotKind kind;
    private final Consumer<String> problems;
    private volatile State state = new State(Map.of(), List.of(), 0);

    public SnapshotCatalog(Snapshots snapshots, SnapshotKind kind, Consumer<String> problems) {
        this.snapshots = snapshots;
        this.kind = kind;
        this.problems = problems;
    }

    /** Re-reads the snapshot list (new records only are decrypted; the rest come from the cache). */
    public synchronized void refresh() throws IOException {
        List<String> damaged = new ArrayList<>();
        List<Snapshot> all = snapshots.list(damaged);
        damaged.forEach(problems);
        Map<String, List<Snapshot>> bySource = new TreeMap<>();
        List<Snapshot> ofKind = new ArrayList<>();
        for (Snapshot s : all) {
            if (s.kind() == kind) {
                ofKind.add(s);
                bySource.computeIfAbsent(SourceNames.source(s), k -> new ArrayList<>()).add(s);
            }
        }
        Map<String, Source> sources = new TreeMap<>();
        bySource.forEach((name, list) -> sources.put(name, new Source(name, name(list))));
        state = new State(Collections.unmodifiableMap(sources), List.copyOf(ofKind), System.nanoTime());
    }

    /** Refreshes when the last refresh is older than {@code millis}. */
    public void refreshIfOlder(long millis) throws IOException {
        if (System.nanoTime() - state.loadedNanos() > millis * 1_000_000L) {
            refresh();
        }
    }

    private static List<Named> name(List<Snapshot> list) {
        List<Named> out = new ArrayList<>(list.size());
        String previous = null;
        int repeat = 1;
        for (Snapshot s : list) {
            String base = SourceNames.time(s.time());
            repeat = base.equals(previous) ? repeat + 1 : 1;
            out.add(new Named(repeat == 1 ? base : base + "-" + repeat, s));
            previous = base;
        }
        return List.copyOf(out);
    }

    public Map<String, Source> sources() {
        return state.sources();
    }

    public List<Snapshot> all() {
        return state.all();
    }
}
