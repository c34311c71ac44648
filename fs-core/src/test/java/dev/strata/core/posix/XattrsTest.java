package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThatCode;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks extended attributes in every namespace, POSIX ACLs against setfacl/getfacl, and symlinks' own attributes. */
class XattrsTest {
    private static final String ACL_ACCESS = "system.posix_acl_access";
    private static final String ACL_DEFAULT = "system.posix_acl_default";

    private final Posix posix = Posix.get();

    @TempDir
    Path dir;

    @Test
    void userXattr_roundTripsBinaryValue() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");
        byte[] value = new byte[3000];
        new Random(42).nextBytes(value);
        value[0] = 0; // NULs and invalid UTF-8 inside the value must survive

        posix.setXattr(file, "user.strata.blob", value);
        posix.setXattr(file, "user.strata.empty", new byte[0]);

        assertThat(posix.listXattrs(file)).contains("user.strata.blob", "user.strata.empty");
        assertThat(posix.getXattr(file, "user.strata.blob")).hasValueSatisfying(v -> assertThat(v).isEqualTo(value));
        assertThat(posix.getXattr(file, "user.strata.empty")).hasValueSatisfying(v -> assertThat(v).isEmpty());
    }

    @Test
    void setXattr_replacesExistingValue() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");
        posix.setXattr(file, "user.k", "a long first value".getBytes());

        posix.setXattr(file, "user.k", "short".getBytes());

        assertThat(posix.getXattr(file, "user.k")).hasValueSatisfying(v -> assertThat(v).isEqualTo("short".getBytes()));
    }

    @Test
    void removeXattr_makesItAbsent() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");
        posix.setXattr(file, "user.gone", new byte[] {1});

        posix.removeXattr(file, "user.gone");

        assertThat(posix.getXattr(file, "user.gone")).isEmpty();
        assertThat(posix.listXattrs(file)).doesNotContain("user.gone");
    }

    @Test
    void getXattr_absentAttribute_isEmpty() throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "data");

        assertThat(posix.getXattr(file, "user.never.set")).isEmpty();
    }

    @Test
    void listXattrs_missingFile_throwsNoSuchFile() {
        assertThatThrownBy(() -> posix.listXattrs(dir.resolve("missing")))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void trustedXattr_roundTripsAsRoot() throws IOException {
        Shell.assumeRoot();
        Path file = Files.writeString(dir.resolve("f"), "data");

        posix.setXattr(file, "trusted.strata", new byte[] {7, 0, 7});

        assertThat(posix.listXattrs(file)).contains("trusted.strata");
        assertThat(posix.getXattr(file, "trusted.strata")).hasValueSatisfying(v -> assertThat(v).containsExactly(7, 0, 7));
    }

    @Test
    void securityXattr_roundTripsWhereTheKernelAllows() throws IOException {
        Shell.assumeRoot();
        Path file = Files.writeString(dir.resolve("f"), "data");
        // An active LSM may own the security namespace and refuse arbitrary names.
        assumeThatCode(() -> posix.setXattr(file, "security.strata", new byte[] {1, 2})).doesNotThrowAnyException();

        assertThat(posix.listXattrs(file)).contains("security.strata");
        assertThat(posix.getXattr(file, "security.strata")).hasValueSatisfying(v -> assertThat(v).containsExactly(1, 2));
    }

    @Test
    void posixAccessAcl_readAndCopiedToAnotherFile_isWhatGetfaclShows() throws Exception {
        Shell.assumeTool("setfacl");
        Shell.assumeTool("getfacl");
        Path source = Files.writeString(dir.resolve("source"), "data");
        Path copy = Files.writeString(dir.resolve("copy"), "data");
        Shell.run("setfacl", "-m", "u:nobody:r", source.toString());

        assertThat(posix.listXattrs(source)).contains(ACL_ACCESS);
        byte[] acl = posix.getXattr(source, ACL_ACCESS).orElseThrow();
        posix.setXattr(copy, ACL_ACCESS, acl);

        assertThat(posix.getXattr(copy, ACL_ACCESS)).hasValueSatisfying(v -> assertThat(v).isEqualTo(acl));
        assertThat(Shell.run("getfacl", "--omit-header", "--numeric", copy.toString()))
                .contains("user:65534:r--")
                .isEqualTo(Shell.run("getfacl", "--omit-header", "--numeric", source.toString()));
    }

    @Test
    void posixDefaultAcl_copiedToAnotherDirectory_isWhatGetfaclShows() throws Exception {
        Shell.assumeTool("setfacl");
        Shell.assumeTool("getfacl");
        Path source = Files.createDirectory(dir.resolve("source"));
        Path copy = Files.createDirectory(dir.resolve("copy"));
        Shell.run("setfacl", "-d", "-m", "u:nobody:rx", source.toString());

        byte[] acl = posix.getXattr(source, ACL_DEFAULT).orElseThrow();
        posix.setXattr(copy, ACL_DEFAULT, acl);

        assertThat(Shell.run("getfacl", "--omit-header", "--numeric", copy.toString()))
                .contains("default:user:65534:r-x");
    }

    @Test
    void xattrsOfSymlink_areNotThoseOfItsTarget() throws IOException {
        Shell.assumeRoot();
        Path target = Files.writeString(dir.resolve("target"), "data");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        posix.setXattr(target, "user.on.target", new byte[] {1});

        // trusted.* is allowed on symlinks, user.* is not.
        posix.setXattr(link, "trusted.on.link", new byte[] {2});

        assertThat(posix.listXattrs(link)).contains("trusted.on.link").doesNotContain("user.on.target");
        assertThat(posix.getXattr(link, "user.on.target")).isEmpty();
        assertThat(posix.getXattr(target, "trusted.on.link")).isEmpty();
        assertThat(posix.listXattrs(target)).contains("user.on.target").doesNotContain("trusted.on.link");
    }

    @Test
    void userXattrOnSymlink_isRefusedByTheKernel_asAccessDenied() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("anywhere"));

        assertThatThrownBy(() -> posix.setXattr(link, "user.x", new byte[] {1}))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("lsetxattr user.x");
    }
}
