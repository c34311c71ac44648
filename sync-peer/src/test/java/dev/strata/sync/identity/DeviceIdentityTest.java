package dev.strata.sync.identity;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceIdentityTest {
    @TempDir
    Path dir;

    @Test
    void loadOrCreate_makesAPrivateFile_andReusesIt() throws Exception {
        Path config = dir.resolve("config/strata");
        DeviceIdentity first = DeviceIdentity.loadOrCreate(config, Clock.systemUTC());
        Path file = config.resolve(DeviceIdentity.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rwx------");
        try (var s = Files.list(config)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly(DeviceIdentity.FILE_NAME);
        }
        DeviceIdentity again = DeviceIdentity.loadOrCreate(config, Clock.systemUTC());
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(again.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
    }

    @Test
    void id_isTheSha256OfTheCertificate() throws Exception {
        DeviceIdentity d = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
        byte[] sha = MessageDigest.getInstance("SHA-256").digest(d.certificate().getEncoded());
        assertThat(d.id().bytes()).isEqualTo(sha);
        assertThat(d.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(d.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=strata device");
        d.certificate().checkValidity();
    }

    @Test
    void twoCreatorsAtOnce_endWithOneIdentity() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<DeviceId>> ids = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(pool.submit(() -> {
                    go.await();
                    return DeviceIdentity.loadOrCreate(dir, Clock.systemUTC()).id();
                }));
            }
            go.countDown();
            List<DeviceId> got = new ArrayList<>();
            for (Future<DeviceId> f : ids) {
                got.add(f.get(30, TimeUnit.SECONDS));
            }
            assertThat(got).containsOnly(DeviceIdentity.load(dir).orElseThrow().id());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void load_ofNothing_isEmpty() throws Exception {
        assertThat(DeviceIdentity.load(dir)).isEmpty();
    }

    @Test
    void damagedFile_isRefusedWithAClearMessage() throws Exception {
        DeviceIdentity.loadOrCreate(dir, Clock.systemUTC());
        Path file = dir.resolve(DeviceIdentity.FILE_NAME);
        String text = Files.readString(file);
        Files.writeString(file, text.substring(0, text.length() / 2));
        assertThatThrownBy(() -> DeviceIdentity.loadOrCreate(dir, Clock.systemUTC()))
                .isInstanceOf(DamagedIdentityException.class).hasMessageContaining(file.toString()).hasMessageContaining("damaged");
    }

    @Test
    void keyOfAnotherCertificate_isRefused() throws Exception {
        DeviceIdentity a = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
        DeviceIdentity b = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
        String aText = new String(a.encode(), StandardCharsets.US_ASCII);
        String bText = new String(b.encode(), StandardCharsets.US_ASCII);
        String mixed = aText.substring(0, aText.indexOf("-----BEGIN CERTIFICATE")) + bText.substring(bText.indexOf("-----BEGIN CERTIFICATE"));
        Files.writeString(dir.resolve(DeviceIdentity.FILE_NAME), mixed);
        assertThatThrownBy(() -> DeviceIdentity.load(dir)).isInstanceOf(DamagedIdentityException.class)
                .hasMessageContaining("not the certificate's");
    }
}
