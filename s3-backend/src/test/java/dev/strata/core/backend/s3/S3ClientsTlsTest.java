package dev.strata.core.backend.s3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client for a plain http:// endpoint builds no TLS context (whose trusted certificates cost a
 * starting command about 0.17 s of CPU); one for https:// does. Each in a JVM of its own, since the
 * JDK loads its trust store once per process.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class S3ClientsTlsTest {
    private static final String TRUST_STORE_LOADED = "sun.security.ssl.TrustStoreManager ";

    @Test
    void anHttpEndpoint_loadsNoTrustStore() throws Exception {
        assertThat(classesLoadedBuilding("s3:http://127.0.0.1:1/bucket")).doesNotContain(TRUST_STORE_LOADED);
    }

    @Test
    void anHttpsEndpoint_loadsTheTrustStore() throws Exception {
        assertThat(classesLoadedBuilding("s3:https://127.0.0.1:1/bucket")).contains(TRUST_STORE_LOADED);
    }

    @Test
    void theDeferredTls_isMadeOnlyWhenAConnectionNeedsIt() {
        assertThat(new DeferredTls().isMade()).isFalse();
    }

    private static String classesLoadedBuilding(String repo) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-Xlog:class+load=info", "-cp",
                System.getProperty("java.class.path"), BuildClient.class.getName(), repo))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out.lines().filter(l -> !l.contains("[class,load]")).toList().toString()).isZero();
        assertThat(out).contains("software.amazon.awssdk.services.s3.DefaultS3Client ");
        return out;
    }

    /** Builds a backend for the repository in {@code args[0]} and closes it, sending nothing. */
    static final class BuildClient {
        public static void main(String[] args) throws Exception {
            Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "k", "AWS_SECRET_ACCESS_KEY", "s", "HOME", "/nonexistent");
            new S3Backend(S3Settings.of(S3Location.parse(args[0]), env)).close();
        }
    }
}
