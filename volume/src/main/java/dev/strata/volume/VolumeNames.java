package dev.strata.volume;

import java.util.regex.Pattern;

/** The rule for volume names: short, and safe as a folder name everywhere. Stateless. */
public final class VolumeNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private VolumeNames() {
    }

    public static void check(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a volume name is 1 to 64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit: '" + name + "'");
        }
    }

    /** The source name of the volume's checkpoints ({@code volume-NAME}), as snapshots show it. */
    public static String source(String name) {
        return "volume-" + name;
    }
}
