package dev.strata.cli.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** On battery or not, from power supply folders laid out as the kernel lays them out. */
class PowerSourceTest {
    @TempDir
    Path dir;

    private void supply(String name, String type, String online, String status) throws IOException {
        Path s = Files.createDirectories(dir.resolve(name));
        Files.writeString(s.resolve("type"), type + "\n");
        if (online != null) {
            Files.writeString(s.resolve("online"), online + "\n");
        }
        if (status != null) {
            Files.writeString(s.resolve("status"), status + "\n");
        }
    }

    @Test
    void aLaptopUnplugged_isOnBattery() throws IOException {
        supply("AC", "Mains", "0", null);
        supply("BAT0", "Battery", null, "Discharging");
        assertThat(PowerSource.onBattery(dir)).isTrue();
    }

    @Test
    void aLaptopPluggedIn_isNot_whateverItsBatteryDoes() throws IOException {
        supply("AC", "Mains", "1", null);
        supply("BAT0", "Battery", null, "Charging");
        assertThat(PowerSource.onBattery(dir)).isFalse();
        supply("BAT1", "Battery", null, "Discharging"); // a second battery feeding the first
        assertThat(PowerSource.onBattery(dir)).isFalse();
    }

    @Test
    void aUsbCharger_countsAsMains() throws IOException {
        supply("ucsi-source-psy-USBC000:001", "USB", "1", null);
        supply("BAT0", "Battery", null, "Discharging");
        assertThat(PowerSource.onBattery(dir)).isFalse();
    }

    @Test
    void aDesktop_aFullBattery_orNothingToRead_isNotOnBattery() throws IOException {
        assertThat(PowerSource.onBattery(dir)).as("no supplies").isFalse();
        assertThat(PowerSource.onBattery(dir.resolve("missing"))).as("no folder").isFalse();
        supply("BAT0", "Battery", null, "Full");
        assertThat(PowerSource.onBattery(dir)).isFalse();
    }
}
