package dev.strata.cli.command;

import dev.strata.core.repo.RepositoryConfig;
import picocli.CommandLine;

/** `strata --version`: the build and the repository format it reads and writes. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = StrataCommand.class.getPackage().getImplementationVersion();
        return new String[] {"strata " + (v == null ? "(development build)" : v),
                "repository format version " + RepositoryConfig.VERSION,
                "Java " + System.getProperty("java.version")};
    }
}
