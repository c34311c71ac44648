package dev.strata.core.repo;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's host name, user name and pid, as recorded in locks, keys and snapshots. Immutable. */
public record HostIdentity(String host, String user, long pid) {

    public static HostIdentity current() {
        return new HostIdentity(hostName(), System.getProperty("user.name", "unknown"), ProcessHandle.current().pid());
    }

    private static String hostName() {
        try {
            String h = Files.readString(Path.of("/etc/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException ignored) {
            // fall back to the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
