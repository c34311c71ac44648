package dev.strata.core.backend.s3;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing {@code s3:} locations, and what the settings derive from them. */
class S3LocationTest {

    @Test
    void parse_endpointBucketAndPrefix() throws Exception {
        S3Location l = S3Location.parse("s3:https://minio.example.org:9000/backups/hosts/laptop/");
        assertEquals(URI.create("https://minio.example.org:9000"), l.endpoint());
        assertEquals("backups", l.bucket());
        assertEquals("hosts/laptop", l.prefix());
        assertEquals("hosts/laptop/data/ab/x", l.key("data/ab/x"));
        assertEquals("s3:https://minio.example.org:9000/backups/hosts/laptop", l.toString());
        assertEquals(l, S3Location.parse(l.toString()));
    }

    @Test
    void parse_withoutPrefix_keysAreThePaths() throws Exception {
        S3Location l = S3Location.parse("s3:http://127.0.0.1:9000/bucket");
        assertEquals("", l.prefix());
        assertEquals("config", l.key("config"));
        assertEquals("", l.keyRoot());
        assertEquals("s3:http://127.0.0.1:9000/bucket", l.toString());
    }

    @Test
    void parse_refusesWhatIsNoLocation() {
        for (String bad : new String[] {"s3:", "s3:ftp://host/b", "s3:https://host", "s3:https://host/", "s3:https:///b",
                "s3:https://key:secret@host/b", "s3:https://host/b/../x", "s3:https://host/b//x", "s3:https://host/b?x=1",
                "s3:https://host/b%20c", "/tmp/repo"}) {
            UserFacingException e = assertThrows(UserFacingException.class, () -> S3Location.parse(bad), bad);
            assertEquals(ExitCode.USAGE, e.exitCode(), bad);
        }
        assertTrue(S3Location.isS3("s3:https://h/b"));
        assertFalse(S3Location.isS3("/srv/s3:x"));
    }

    @Test
    void addressing_isVirtualHostOnAws_pathElsewhere() throws Exception {
        S3Settings aws = S3Settings.of(S3Location.parse("s3:https://s3.eu-west-1.amazonaws.com/b"), Map.of());
        S3Settings minio = S3Settings.of(S3Location.parse("s3:https://minio.lan:9000/b"), Map.of());
        assertFalse(aws.pathStyle());
        assertTrue(minio.pathStyle());
        assertTrue(aws.withAddressing(S3Settings.Addressing.PATH).pathStyle());
        assertFalse(minio.withAddressing(S3Settings.Addressing.VIRTUAL).pathStyle());
        assertTrue(S3Settings.of(S3Location.parse("s3:https://minio.lan/b"), Map.of("STRATA_S3_ADDRESSING", "virtual"))
                .addressing() == S3Settings.Addressing.VIRTUAL);
        assertThrows(UserFacingException.class, () -> S3Settings.Addressing.parse("sideways"));
    }

    @Test
    void region_fromSettingsEnvironmentOrAwsHost() throws Exception {
        S3Location aws = S3Location.parse("s3:https://s3.eu-west-1.amazonaws.com/b");
        S3Credentials none = new S3Credentials(Map.of("HOME", "/nonexistent"));
        assertEquals("eu-west-1", S3Clients.region(S3Settings.of(aws, Map.of()), none));
        assertEquals("us-east-1", S3Clients.region(S3Settings.of(S3Location.parse("s3:https://s3.amazonaws.com/b"), Map.of()), none));
        assertEquals("us-east-1", S3Clients.region(S3Settings.of(S3Location.parse("s3:https://rgw.lan/b"), Map.of()), none));
        assertEquals("ap-south-2", S3Clients.region(S3Settings.of(aws, Map.of("AWS_REGION", "ap-south-2")), none));
        assertEquals("garage", S3Clients.region(S3Settings.of(aws, Map.of("AWS_REGION", "x", "STRATA_S3_REGION", "garage")), none));
    }

    @Test
    void retries_fromTheEnvironment() throws Exception {
        S3Location l = S3Location.parse("s3:https://rgw.lan/b");
        assertEquals(6, S3Settings.of(l, Map.of()).maxAttempts());
        assertEquals(21, S3Settings.of(l, Map.of("STRATA_S3_RETRIES", "20")).maxAttempts());
        assertEquals(1, S3Settings.of(l, Map.of("STRATA_S3_RETRIES", "0")).maxAttempts());
        assertThrows(UserFacingException.class, () -> S3Settings.of(l, Map.of("STRATA_S3_RETRIES", "lots")));
    }
}
