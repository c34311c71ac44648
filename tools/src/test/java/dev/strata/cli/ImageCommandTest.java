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
    void ls_andRestorePath_copyFilesOutOfAnExt4Image() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mke2fs")) || Files.isExecutable(Path.of("/sbin/mke2fs")));
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("home/me"));
        byte[] data = new byte[700_000];
        new Random(3).nextBytes(data);
        Files.write(src.resolve("home/me/thesis.odt"), data);
        Files.writeString(src.resolve("home/me/notes.txt"), "notes\n");
        Files.createSymbolicLink(src.resolve("home/me/link"), Path.of("notes.txt"));
        Files.createLink(src.resolve("home/me/again.odt"), src.resolve("home/me/thesis.odt"));
        exec("chmod", "0640", src.resolve("home/me/notes.txt").toString());
        exec("touch", "-h", "-d", "@1700000000", src.resolve("home/me/notes.txt").toString());
        Path img = dir.resolve("ext.img");
        exec("mke2fs", "-q", "-F", "-t", "ext4", "-d", src.toString(), img.toString(), "16M");
        assertThat(cli.run("image", "create", img.toString(), "--name", "laptop").code()).isZero();

        CliRunner.Result top = cli.run("image", "ls", "laptop");
        assertThat(top.code()).as(top.toString()).isZero();
        assertThat(top.out()).contains("disk.img").contains("disk");
        CliRunner.Result ls = cli.run("image", "ls", "laptop", "disk/home/me");
        assertThat(ls.code()).as(ls.toString()).isZero();
        assertThat(ls.out()).contains("-rw-r----- ").contains("2023-11-14 22:13 notes.txt").contains("link -> notes.txt")
                .contains("700000 ").contains("thesis.odt");
        assertThat(cli.run("image", "ls", "laptop", "disk/nothing").code()).isEqualTo(15);

        Path target = Files.createDirectories(dir.resolve("out"));
        CliRunner.Result copied = cli.run("image", "restore", "laptop", "--path", "disk/home/me", "--target", target.toString());
        assertThat(copied.code()).as(copied.toString()).isZero();
        Path me = target.resolve("me");
        assertThat(Files.readAllBytes(me.resolve("thesis.odt"))).isEqualTo(data);
        assertThat(Files.readString(me.resolve("notes.txt"))).isEqualTo("notes\n");
        assertThat(Files.readSymbolicLink(me.resolve("link"))).isEqualTo(Path.of("notes.txt"));
        assertThat(Files.getAttribute(me.resolve("again.odt"), "unix:ino")).isEqualTo(Files.getAttribute(me.resolve("thesis.odt"), "unix:ino"));
        assertThat(Files.getAttribute(me.resolve("notes.txt"), "unix:mode")).isEqualTo(0100640);
        assertThat(Files.getLastModifiedTime(me.resolve("notes.txt")).toInstant().getEpochSecond()).isEqualTo(1700000000L);
        assertThat(cli.run("image", "restore", "laptop", "--path", "disk/home/me", "--target", target.toString()).code()).isEqualTo(16);
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
