package dev.strata.core.pack;

import dev.strata.core.id.PackId;

import java.util.List;

/**
 * What a salvage recovered from a pack whose header, trailer or table could not be read.
 *
 * @param type       the pack's type: from its header, else from what its entries hold
 * @param entries    every entry that authenticates, in file order
 * @param damaged    entries known from elsewhere (the table, or the index) that do not authenticate
 * @param lostBytes  bytes between the header and the table that belong to no readable entry
 * @param finding    what was wrong, in words ("table fails authentication; 12 entries found by scanning")
 */
public record PackSalvage(PackId id, PackType type, long size, List<PackEntry> entries, List<PackEntry> damaged,
                          long lostBytes, String finding) {
    public PackSalvage {
        entries = List.copyOf(entries);
        damaged = List.copyOf(damaged);
    }

    /** Whether anything was lost: entries known to be damaged, or bytes no readable entry covers. */
    public boolean lostSomething() {
        return !damaged.isEmpty() || lostBytes > 0;
    }

    /** One line for the user: the pack, what was wrong, what was kept and what was lost. */
    public String describe() {
        long kept = entries.stream().mapToLong(PackEntry::storedLength).sum();
        StringBuilder s = new StringBuilder("pack " + id + ": " + finding + "; " + entries.size() + " chunk(s) readable ("
                + kept + " bytes)");
        if (!damaged.isEmpty()) {
            s.append(", ").append(damaged.size()).append(" chunk(s) damaged");
        }
        if (lostBytes > 0) {
            s.append(", ").append(lostBytes).append(" bytes unreadable");
        } else if (damaged.isEmpty()) {
            s.append(", nothing lost");
        }
        return s.toString();
    }
}
