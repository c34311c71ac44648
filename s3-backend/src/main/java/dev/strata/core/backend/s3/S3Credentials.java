package dev.strata.core.backend.s3;

import dev.strata.core.error.ExitCode;
import dev.strata.core.error.UserFacingException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The standard AWS credentials chain, read from a given environment rather than the process's, so a
 * command sees the same variables as the rest of Strata: keys in {@code AWS_ACCESS_KEY_ID} /
 * {@code AWS_SECRET_ACCESS_KEY} (+ {@code AWS_SESSION_TOKEN}), else the profile {@code AWS_PROFILE}
 * (default {@code default}) of {@code ~/.aws/credentials} and {@code ~/.aws/config} (or
 * {@code AWS_SHARED_CREDENTIALS_FILE}, {@code AWS_CONFIG_FILE}), else the SDK's own chain (web identity,
 * SSO, container and instance roles). Immutable.
 */
final class S3Credentials {
    private final Map<String, String> env;
    private final ProfileFile profiles;
    private final String profileName;

    S3Credentials(Map<String, String> env) throws UserFacingException {
        this.env = env;
        this.profiles = profileFile(env);
        String p = env.get("AWS_PROFILE");
        this.profileName = p == null || p.isBlank() ? "default" : p.trim();
    }

    AwsCredentialsProvider provider() {
        String id = env.get("AWS_ACCESS_KEY_ID");
        String secret = env.get("AWS_SECRET_ACCESS_KEY");
        if (id != null && !id.isBlank() && secret != null && !secret.isBlank()) {
            String token = env.get("AWS_SESSION_TOKEN");
            return StaticCredentialsProvider.create(token == null || token.isBlank()
                    ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token));
        }
        if (profiles.profile(profileName).isPresent()) {
            return ProfileCredentialsProvider.builder().profileFile(profiles).profileName(profileName).build();
        }
        return DefaultCredentialsProvider.builder().profileFile(() -> profiles).profileName(profileName).build();
    }

    /** The region the profile names, if any. */
    Optional<String> profileRegion() {
        return profiles.profile(profileName).flatMap(p -> p.property("region")).filter(r -> !r.isBlank());
    }

    /** Where a person would look for the profile, for messages. */
    String describe() {
        return "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or profile '" + profileName + "' in "
                + credentialsFile(env) + " (AWS_PROFILE)";
    }

    private static ProfileFile profileFile(Map<String, String> env) throws UserFacingException {
        ProfileFile.Aggregator all = ProfileFile.aggregator();
        Path config = Path.of(orDefault(env, "AWS_CONFIG_FILE", home(env).resolve(".aws/config").toString()));
        if (Files.isReadable(config)) {
            all.addFile(parse(config, ProfileFile.Type.CONFIGURATION));
        }
        Path credentials = credentialsFile(env);
        if (Files.isReadable(credentials)) {
            all.addFile(parse(credentials, ProfileFile.Type.CREDENTIALS));
        }
        return all.build();
    }

    private static ProfileFile parse(Path file, ProfileFile.Type type) throws UserFacingException {
        try {
            ProfileFile parsed = ProfileFile.builder().content(file).type(type).build();
            parsed.profiles();
            return parsed;
        } catch (RuntimeException e) {
            throw new UserFacingException(ExitCode.USAGE, "cannot read the AWS profiles in " + file + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '), e);
        }
    }

    private static Path credentialsFile(Map<String, String> env) {
        return Path.of(orDefault(env, "AWS_SHARED_CREDENTIALS_FILE", home(env).resolve(".aws/credentials").toString()));
    }

    private static Path home(Map<String, String> env) {
        return Path.of(orDefault(env, "HOME", System.getProperty("user.home")));
    }

    private static String orDefault(Map<String, String> env, String name, String fallback) {
        String v = env.get(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
