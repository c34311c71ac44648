package dev.strata.snapshot.archive;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;

/** The archive formats {@code strata dump} writes. */
public enum ArchiveFormat {
    TAR("tar"),
    TAR_ZST("tar.zst"),
    ZIP("zip");

    private final String label;

    ArchiveFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The format called {@code name} ("tar", "tar.zst", "zip"). */
    public static ArchiveFormat parse(String name) throws UserFacingException {
        for (ArchiveFormat f : values()) {
            if (f.label.equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new UserFacingException(ExitCode.USAGE, "--format must be tar, tar.zst or zip, not '" + name + "'");
    }

    /** The format a file name's ending suggests, or TAR. */
    public static ArchiveFormat forFileName(String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".tar.zst") || lower.endsWith(".tzst")) {
            return TAR_ZST;
        }
        return lower.endsWith(".zip") ? ZIP : TAR;
    }
}
