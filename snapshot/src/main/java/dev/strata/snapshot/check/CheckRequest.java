package dev.strata.snapshot.check;

/**
 * How much data a check reads.
 *
 * @param readData    read and verify packs (all of them unless a subset is given)
 * @param subsetIndex with {@code subsetCount}: read only packs whose first id byte modulo count is index-1 (n/m)
 * @param percent     read a random share of packs (0 < p <= 100); 0 when not used
 */
public record CheckRequest(boolean readData, int subsetIndex, int subsetCount, double percent) {
    public static final CheckRequest STRUCTURE = new CheckRequest(false, 0, 0, 0);
    public static final CheckRequest ALL_DATA = new CheckRequest(true, 0, 0, 0);

    public CheckRequest {
        if (subsetCount < 0 || subsetIndex < 0 || (subsetCount > 0 && (subsetIndex < 1 || subsetIndex > subsetCount))) {
            throw new IllegalArgumentException("a subset is n/m with 1 <= n <= m");
        }
        if (percent < 0 || percent > 100) {
            throw new IllegalArgumentException("a percentage is between 0 and 100");
        }
    }

    /** Parses "n/m" or "p%" as given to --read-data-subset. */
    public static CheckRequest subset(String spec) {
        String s = spec.trim();
        try {
            if (s.endsWith("%")) {
                double p = Double.parseDouble(s.substring(0, s.length() - 1));
                if (p <= 0 || p > 100) {
                    throw new IllegalArgumentException("--read-data-subset percentage must be in (0, 100], not " + spec);
                }
                return new CheckRequest(true, 0, 0, p);
            }
            int slash = s.indexOf('/');
            if (slash > 0) {
                return new CheckRequest(true, Integer.parseInt(s.substring(0, slash)), Integer.parseInt(s.substring(slash + 1)), 0);
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--read-data-subset takes n/m (e.g. 1/5) or a percentage (e.g. 10%), not '" + spec + "'");
    }
}
