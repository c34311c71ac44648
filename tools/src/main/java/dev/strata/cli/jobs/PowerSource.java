package dev.strata.cli.jobs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether the machine runs on its battery, as the kernel's power supply class says
 * ({@code /sys/class/power_supply/<name>/type}, {@code online}, {@code status}): on battery when a
 * battery is discharging and no mains or USB supply is online. A machine without batteries, or one
 * whose supplies cannot be read, is taken to be on mains power, so jobs never wait for a power source
 * that cannot be told. Stateless; thread-safe.
 */
public final class PowerSource {
    /** Where Linux lists power supplies. */
    public static final Path SYSFS = Path.of("/sys/class/power_supply");

    private PowerSource() {
    }

    /** Whether the supplies listed in {@code folder} say the machine runs on battery now. */
    public static boolean onBattery(Path folder) {
        boolean discharging = false;
        try (DirectoryStream<Path> supplies = Files.newDirectoryStream(folder)) {
            for (Path s : supplies) {
                String type = read(s.resolve("type"));
                if (type.equals("mains") || type.startsWith("usb")) {
                    if (read(s.resolve("online")).equals("1")) {
                        return false;
                    }
                } else if (type.equals("battery") && read(s.resolve("status")).equals("discharging")) {
                    discharging = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false; // nothing can be told: as on mains
        }
        return discharging;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim().toLowerCase(Locale.ROOT);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
