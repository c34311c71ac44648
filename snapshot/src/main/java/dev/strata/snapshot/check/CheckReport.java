package dev.strata.snapshot.check;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What a check found. Errors mean damage; notes are harmless facts (unused packs). Thread-safe. */
public final class CheckReport {
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
    long snapshots;
    long trees;
    long dataChunks;
    long packsRead;
    long bytesRead;
    int packsTotal;
    int affectedSnapshots;

    void error(String e) {
        errors.add(e);
    }

    void note(String n) {
        notes.add(n);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public long snapshots() {
        return snapshots;
    }

    public long trees() {
        return trees;
    }

    public long dataChunks() {
        return dataChunks;
    }

    public long packsRead() {
        return packsRead;
    }

    public long bytesRead() {
        return bytesRead;
    }

    public int packsTotal() {
        return packsTotal;
    }

    /** Snapshots that refer to data that is damaged or missing. */
    public int affectedSnapshots() {
        return affectedSnapshots;
    }
}
