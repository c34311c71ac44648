package dev.strata.cli.command;

import java.util.List;
import java.util.function.BiPredicate;

/** TEMP placeholder */
final class RestoreSelection implements BiPredicate<String, Boolean> {
    static RestoreSelection of(List<String> includes, List<String> excludes) {
        return new RestoreSelection();
    }

    @Override
    public boolean test(String path, Boolean isDirectory) {
        return true;
    }
}
