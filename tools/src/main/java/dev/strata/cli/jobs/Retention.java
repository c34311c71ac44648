package dev.strata.cli.jobs;

import java.util.ArrayList;
import java.util.List;

/**
 * A job's keep rules, handed to {@code strata forget} (docs/retention.md). A null count is a rule not
 * given. Immutable.
 */
public record Retention(Integer last, Integer hourly, Integer daily, Integer weekly, Integer monthly, Integer yearly,
                        String within) {
    public static final Retention NONE = new Retention(null, null, null, null, null, null, null);

    /** Whether any rule is given; without one, a job forgets nothing. */
    public boolean any() {
        return !options().isEmpty();
    }

    /** The rules as options of {@code strata forget}. */
    public List<String> options() {
        List<String> o = new ArrayList<>();
        add(o, "--keep-last", last);
        add(o, "--keep-hourly", hourly);
        add(o, "--keep-daily", daily);
        add(o, "--keep-weekly", weekly);
        add(o, "--keep-monthly", monthly);
        add(o, "--keep-yearly", yearly);
        if (within != null) {
            o.add("--keep-within");
            o.add(within);
        }
        return o;
    }

    private static void add(List<String> o, String option, Integer n) {
        if (n != null) {
            o.add(option);
            o.add(n.toString());
        }
    }
}
