package dev.strata.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** strata image create / list / restore and the image kind in strata snapshots, in process. */
class ImageCommandTest {
    @TempDir
    Path dir;
    CliRunner cli;

    @BeforeEach
    void init() {
        cli = new CliRunner(dir.resolve("repo"), dir.resolve("cache")).password("correct horse");
        assertThat(cli.run("init").code()).isZero();
    }

    /** A FAT image made by mkfs.vfat, with one file copied in by mcopy. */
    private Path fatImage() throws Exception {
        Path img = dir.resolve("fat.img");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs.vfat")) || Files.isExecutable(Path.of("/sbin/mkfs.vfat")));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/mcopy")));
        exec("mkfs.vfat", "-C", img.toString(), "16384");
        byte[] data = new byte[3 << 20];
        new Random(1).nextBytes(data);
        Path file = dir.resolve("data.bin");
        Files.write(file, data);
        exec("mcopy", "-i", img.toString(), file.toString(), "::/data.bin");
        return img;
    }

    private static void exec(String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PATH", System.getenv("PATH") + ":/sbin:/usr/sbin");
        pb.environment().put("MTOOLS_SKIP_CHECK", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    @Test
    void create_list_restore_roundTrip() throws Exception {
        Path img = fatImage();

        CliRunner.Result created = cli.run("image", "create", img.toString(), "--name", "stick", "--used-only");
        assertThat(created.code()).as(created.toString()).isZero();
        assertThat(created.out()).contains("fat16").contains("used-only").contains("saved");
        CliRunner.Result second = cli.run("image", "create", img.toString(), "--name", "stick");
        assertThat(second.code()).as(second.toString()).isZero();

        CliRunner.Result list = cli.run("image", "list", "-l");
        assertThat(list.code()).as(list.toString()).isZero();
        assertThat(list.out()).contains("stick").contains("2 image snapshots");
        CliRunner.Result snaps = cli.run("snapshots");
        assertThat(snaps.out()).contains("image").contains("image stick: " + img);

        Path out = dir.resolve("restored.img");
        CliRunner.Result restored = cli.run("image", "restore", "stick", "--target", out.toString());
        assertThat(restored.code()).as(restored.toString()).isZero();
        assertThat(restored.out()).contains("verified");
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(img));

        CliRunner.Result again = cli.run("image", "restore", "stick", "--target", out.toString());
        assertThat(again.code()).as(again.toString()).isEqualTo(16);
        String json = cli.run("image", "list", "--json").out();
        assertThat(json).contains("\"scheme\":\"none\"").contains("\"filesystem\":\"fat16\"");
    }

    @Test
    void restore_ontoATooSmallDeviceOrMissingPartition_isRefused() throws Exception {
        Path img = fatImage();
        assertThat(cli.run("image", "create", img.toString(), "--name", "stick").code()).isZero();

        CliRunner.Result noPart = cli.run("image", "restore", "stick", "--partition", "3", "--target", dir.resolve("x").toString());
        assertThat(noPart.code()).as(noPart.toString()).isEqualTo(15);
        assertThat(noPart.err()).contains("no partition 3");
        CliRunner.Result noImage = cli.run("image", "restore", "nothing", "--target", dir.resolve("x").toString());
        assertThat(noImage.code()).isEqualTo(15);
        CliRunner.Result badName = cli.run("image", "create", img.toString(), "--name", "a/b");
        assertThat(badName.code()).isEqualTo(2);
    }

    @Test
    void create_ofAFolder_isRefused() {
        CliRunner.Result r = cli.run("image", "create", dir.toString(), "--name", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not a block device or an image file");
    }
}
