package dev.strata.core.backend.s3;

import dev.strata.core.backend.Backend;
import dev.strata.core.backend.BlobName;
import dev.strata.core.backend.BlobType;
import dev.strata.core.backend.s3.testing.S3TestServer;
import dev.strata.core.error.ExitCode;
import dev.strata.core.error.StorageAccessException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Credentials, buckets, permissions and endpoints that cannot work: one line each, with its own exit code. */
@Timeout(60)
class S3ErrorsTest {
    private static final BlobName KEY = BlobName.of(BlobType.KEY, "0123456789abcdef0123456789abcdef");
    private static S3TestServer server;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        server = S3TestServer.start();
        server.createBucket("present");
        server.createBucket("guarded");
        server.denyBucket("guarded");
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private S3Settings settings(String repo, Map<String, String> env) throws IOException {
        Map<String, String> all = new HashMap<>(env);
        all.put("HOME", home.toString());
        return S3Settings.of(S3Location.parse(repo), all).withRetries(2, Duration.ofMillis(1), Duration.ofMillis(5));
    }

    private static StorageAccessException failure(S3Settings settings) throws IOException {
        try (Backend b = new S3Backend(settings)) {
            return assertThrows(StorageAccessException.class, () -> b.exists(KEY));
        }
    }

    private static void assertOneLine(Exception e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aWrongSecret_isRefusedCredentials() throws IOException {
        StorageAccessException e = failure(settings(server.repo("present", ""),
                Map.of("AWS_ACCESS_KEY_ID", S3TestServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", "not-the-secret")));
        assertEquals(ExitCode.CREDENTIALS_REJECTED, e.exitCode());
        assertTrue(e.getMessage().contains("refused the credentials (SignatureDoesNotMatch"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void anUnknownKey_isRefusedCredentials() throws IOException {
        StorageAccessException e = failure(settings(server.repo("present", ""),
                Map.of("AWS_ACCESS_KEY_ID", "nobody", "AWS_SECRET_ACCESS_KEY", "x")));
        assertEquals(ExitCode.CREDENTIALS_REJECTED, e.exitCode());
        assertTrue(e.getMessage().contains("InvalidAccessKeyId"), e.getMessage());
    }

    @Test
    void noCredentialsAnywhere_saysWhereTheyAreLookedFor() throws IOException {
        StorageAccessException e = failure(settings(server.repo("present", ""), Map.of("AWS_PROFILE", "nowhere")));
        assertEquals(ExitCode.CREDENTIALS_REJECTED, e.exitCode());
        assertTrue(e.getMessage().contains("no S3 credentials") && e.getMessage().contains("profile 'nowhere'"), e.getMessage());
    }

    @Test
    void aProfileOfTheCredentialsFile_isUsed() throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/credentials"), "[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n\n"
                + "[backup]\naws_access_key_id = " + S3TestServer.ACCESS_KEY + "\naws_secret_access_key = " + S3TestServer.SECRET_KEY + "\n");
        Files.writeString(home.resolve(".aws/config"), "[profile backup]\nregion = eu-central-1\n");
        S3Settings s = settings(server.repo("present", "p"), Map.of("AWS_PROFILE", "backup"));
        try (Backend b = new S3Backend(s)) {
            b.put(KEY, new byte[] {9});
            assertArrayEquals(new byte[] {9}, b.get(KEY));
        }
        assertEquals("eu-central-1", S3Clients.region(s, new S3Credentials(s.env())));
        assertEquals(ExitCode.CREDENTIALS_REJECTED, failure(settings(server.repo("present", "p"), Map.of())).exitCode(),
                "without AWS_PROFILE the default profile, whose key is wrong");
    }

    /** A profile file the SDK cannot parse is named in one line, not an internal error. */
    @Test
    void aBrokenProfileFile_isAUsageError() throws IOException {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[profile backup\nregion = x\n");
        S3Settings s = settings(server.repo("present", ""), server.env());
        dev.strata.core.error.UserFacingException e = assertThrows(dev.strata.core.error.UserFacingException.class, () -> new S3Backend(s));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains(home.resolve(".aws/config").toString()), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void aMissingBucket_isNamed() throws IOException {
        StorageAccessException e = failure(settings(server.repo("absent", "repo"), server.env()));
        assertEquals(ExitCode.BUCKET_NOT_FOUND, e.exitCode());
        assertTrue(e.getMessage().startsWith("bucket 'absent' does not exist at " + server.endpoint()), e.getMessage());
        try (Backend b = new S3Backend(settings(server.repo("absent", ""), server.env()))) {
            assertEquals(ExitCode.BUCKET_NOT_FOUND, assertThrows(StorageAccessException.class, b::create).exitCode());
        }
    }

    @Test
    void aDeniedBucket_isAccessDenied() throws IOException {
        StorageAccessException e = failure(settings(server.repo("guarded", ""), server.env()));
        assertEquals(ExitCode.ACCESS_DENIED, e.exitCode());
        assertTrue(e.getMessage().contains("denied") && e.getMessage().contains("AccessDenied"), e.getMessage());
        assertOneLine(e);
    }

    @Test
    void aClosedPort_isUnreachable_quickly() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        StorageAccessException e = failure(settings("s3:http://127.0.0.1:" + port + "/present", server.env()));
        assertEquals(ExitCode.UNREACHABLE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot reach http://127.0.0.1:" + port), e.getMessage());
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 10);
    }

    /** A server with a private CA: refused as unreachable over TLS without the CA file, used with it. */
    @Test
    void tls_withAPrivateCa_needsItsCertificate() throws Exception {
        Path keyStore = home.resolve("server.p12");
        Path ca = home.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", "secret1", "-keypass", "secret1");
        keytool("-exportcert", "-rfc", "-alias", "s3", "-keystore", keyStore.toString(), "-storepass", "secret1",
                "-file", ca.toString());
        try (S3TestServer tls = S3TestServer.startTls(keyStore, "secret1")) {
            tls.createBucket("secure");
            String repo = tls.repo("secure", "r");
            assertTrue(repo.startsWith("s3:https://127.0.0.1:"), repo);

            StorageAccessException e = failure(settings(repo, tls.env()));
            assertEquals(ExitCode.UNREACHABLE, e.exitCode());
            assertTrue(e.getMessage().contains("over TLS") && e.getMessage().contains("--s3-ca"), e.getMessage());

            Map<String, String> env = new HashMap<>(tls.env());
            env.put("STRATA_S3_CA", ca.toString());
            try (Backend b = new S3Backend(settings(repo, env))) {
                b.create();
                b.put(KEY, new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, b.get(KEY));
            }
        }
    }

    @Test
    void aCaFileWithoutCertificates_isAUsageError_forATlsEndpoint() throws IOException {
        Path notPem = Files.writeString(home.resolve("ca.pem"), "hello");
        String https = server.repo("present", "").replaceFirst("^s3:http:", "s3:https:");
        S3Settings s = settings(https, server.env()).withCaFile(notPem);
        dev.strata.core.error.UserFacingException e = assertThrows(dev.strata.core.error.UserFacingException.class, () -> new S3Backend(s));
        assertEquals(ExitCode.USAGE, e.exitCode());
    }

    /** Over http:// no certificate is checked, so the CA file (AWS_CA_BUNDLE is often set machine-wide) is not read. */
    @Test
    void aCaFile_isNotRead_forAnEndpointWithoutTls() throws IOException {
        Path notPem = Files.writeString(home.resolve("ca.pem"), "hello");
        try (Backend b = new S3Backend(settings(server.repo("present", ""), server.env()).withCaFile(notPem))) {
            b.put(KEY, new byte[] {4});
            assertArrayEquals(new byte[] {4}, b.get(KEY));
        }
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }
}
