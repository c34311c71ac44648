package dev.strata.cli.jobs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a configuration file (TOML) into a {@link JobsConfig}, finding every problem at once: a
 * syntax error stops the reading, other problems are all collected, each with its line. Confined to
 * one thread (one instance reads one file).
 */
public final class ConfigLoader {
    private static final TomlMapper TOML = new TomlMapper();
    private static final Set<String> TOP = Set.of("repositories", "jobs", "mounts");
    private static final List<String> REPOSITORY_KEYS = List.of("path", "password-file", "password-command", "cache-dir",
            "prune", "check", "check-read-data");
    private static final List<String> JOB_KEYS = List.of("repository", "paths", "exclude", "tags", "one-file-system",
            "stdin-command", "stdin-filename", "before", "after", "schedule", "keep-last", "keep-hourly", "keep-daily",
            "keep-weekly", "keep-monthly", "keep-yearly", "keep-within", "max-age");
    private static final List<String> MOUNT_KEYS = List.of("repository", "path");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern READ_DATA = Pattern.compile("(\\d+(\\.\\d+)?%|\\d+/\\d+)");

    private final Path file;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private TomlLines lines;

    private ConfigLoader(Path file) {
        this.file = file;
    }

    /** Reads and checks {@code file}. */
    public static JobsConfig load(Path file) throws IOException {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new dev.strata.core.error.UserFacingException(dev.strata.core.error.ExitCode.USAGE,
                    "configuration file " + file + " does not exist");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, List.of(new ConfigProblem(1, "the file is not UTF-8 text")));
        }
        return parse(file, text);
    }

    /** Checks {@code text}, the contents of {@code file}. */
    public static JobsConfig parse(Path file, String text) throws ConfigException {
        return new ConfigLoader(file).read(text);
    }

    private JobsConfig read(String text) throws ConfigException {
        JsonNode parsed;
        try {
            parsed = TOML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null || at.getLineNr() < 1 ? 1 : at.getLineNr();
            throw new ConfigException(file, List.of(new ConfigProblem(line, "not valid TOML: " + e.getOriginalMessage())));
        }
        lines = new TomlLines(text);
        JsonNode root = parsed == null ? TOML.createObjectNode() : parsed;
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TOP.contains(key)) {
                problem(List.of(key), "unknown table '" + key + "' (known: repositories, jobs, mounts)");
            }
        }
        Map<String, RepositoryConfig> repositories = new LinkedHashMap<>();
        tables(root, "repositories").forEach((name, node) -> {
            RepositoryConfig r = repository(name, node);
            if (r != null) {
                repositories.put(name, r);
            }
        });
        Map<String, JobConfig> jobs = new LinkedHashMap<>();
        Map<String, JsonNode> jobNodes = tables(root, "jobs");
        jobNodes.forEach((name, node) -> {
            JobConfig j = job(name, node, repositories, root.path("repositories"));
            if (j != null) {
                jobs.put(name, j);
            }
        });
        Map<String, MountConfig> mounts = new LinkedHashMap<>();
        tables(root, "mounts").forEach((name, node) -> {
            MountConfig m = mount(name, node, repositories, root.path("repositories"));
            if (m != null) {
                mounts.put(name, m);
            }
        });
        if (problems.isEmpty() && jobs.isEmpty() && mounts.isEmpty()) {
            problem(List.of(), "no jobs: add a [jobs.NAME] table with a repository, paths and a schedule");
        }
        if (!problems.isEmpty()) {
            problems.sort(java.util.Comparator.comparingInt(ConfigProblem::line));
            throw new ConfigException(file, problems);
        }
        return new JobsConfig(file, repositories, jobs, mounts);
    }

    /** The tables below {@code [top.NAME]}, in the file's order; anything else there is a problem. */
    private Map<String, JsonNode> tables(JsonNode root, String top) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        JsonNode node = root.get(top);
        if (node == null) {
            return out;
        }
        if (!node.isObject()) {
            problem(List.of(top), top + " must be tables ([" + top + ".NAME]), not a value");
            return out;
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isObject()) {
                problem(List.of(top, e.getKey()), top + "." + e.getKey() + " must be a table ([" + top + "." + e.getKey() + "]), not a value");
            } else if (!NAME.matcher(e.getKey()).matches()) {
                problem(List.of(top, e.getKey()), "'" + e.getKey() + "' cannot be a name: use letters, digits, '-', '_' and '.'");
            } else {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private RepositoryConfig repository(String name, JsonNode node) {
        List<String> at = List.of("repositories", name);
        unknownKeys(at, node, REPOSITORY_KEYS);
        int before = problems.size();
        String location = string(at, node, "path");
        if (location == null && node.get("path") == null) {
            problem(at, "repositories." + name + ": 'path' is missing (a folder, or an s3: URL)");
        } else if (location != null && !location.startsWith("s3:") && !Path.of(location).isAbsolute()) {
            problem(key(at, "path"), "repositories." + name + ".path: '" + location + "' must be an absolute folder or an s3: URL");
        }
        String passwordFile = string(at, node, "password-file");
        String passwordCommand = string(at, node, "password-command");
        if (passwordFile != null && passwordCommand != null) {
            problem(key(at, "password-command"), "repositories." + name + ": give password-file or password-command, not both");
        }
        if (passwordFile != null && !Path.of(passwordFile).isAbsolute()) {
            problem(key(at, "password-file"), "repositories." + name + ".password-file: '" + passwordFile + "' must be an absolute path");
        }
        String cacheDir = string(at, node, "cache-dir");
        Schedule prune = schedule(at, node, "prune");
        Schedule check = schedule(at, node, "check");
        String readData = string(at, node, "check-read-data");
        if (readData != null && !READ_DATA.matcher(readData).matches()) {
            problem(key(at, "check-read-data"), "repositories." + name + ".check-read-data: '" + readData
                    + "' must be a percentage (5%) or a part (1/7)");
        }
        if (problems.size() > before) {
            return null;
        }
        return new RepositoryConfig(name, location, passwordFile == null ? null : Path.of(passwordFile), passwordCommand,
                cacheDir == null ? null : Path.of(cacheDir), prune, check, readData);
    }

    private JobConfig job(String name, JsonNode node, Map<String, RepositoryConfig> repositories, JsonNode repositoryNodes) {
        List<String> at = List.of("jobs", name);
        String where = "jobs." + name;
        unknownKeys(at, node, JOB_KEYS);
        int before = problems.size();
        String repository = repositoryName(at, where, node, repositoryNodes);
        List<String> paths = strings(at, node, "paths");
        for (String p : paths) {
            if (!Path.of(p).isAbsolute()) {
                problem(key(at, "paths"), where + ".paths: '" + p + "' must be an absolute path");
            }
        }
        String stdinCommand = string(at, node, "stdin-command");
        if (paths.isEmpty() && stdinCommand == null && node.get("paths") == null && node.get("stdin-command") == null) {
            problem(at, where + ": nothing to back up: give 'paths' (or 'stdin-command')");
        } else if (!paths.isEmpty() && stdinCommand != null) {
            problem(key(at, "stdin-command"), where + ": give paths or stdin-command, not both");
        } else if (paths.isEmpty() && node.get("paths") != null && node.get("paths").isArray()) {
            problem(key(at, "paths"), where + ".paths: the list is empty");
        }
        String stdinFilename = string(at, node, "stdin-filename");
        if (stdinFilename != null && stdinCommand == null) {
            problem(key(at, "stdin-filename"), where + ".stdin-filename: only with stdin-command");
        }
        List<String> exclude = strings(at, node, "exclude");
        List<String> tags = strings(at, node, "tags");
        Boolean oneFs = bool(at, node, "one-file-system");
        Schedule schedule = schedule(at, node, "schedule");
        Retention keep = new Retention(count(at, node, "keep-last"), count(at, node, "keep-hourly"), count(at, node, "keep-daily"),
                count(at, node, "keep-weekly"), count(at, node, "keep-monthly"), count(at, node, "keep-yearly"),
                duration(at, node, "keep-within") == null ? null : node.get("keep-within").asText());
        Duration maxAge = duration(at, node, "max-age");
        String beforeCmd = string(at, node, "before");
        String afterCmd = string(at, node, "after");
        if (problems.size() > before || repository == null || !repositories.containsKey(repository)) {
            return null;
        }
        return new JobConfig(name, repository, paths, exclude, tags, oneFs != null && oneFs, stdinCommand,
                stdinFilename == null ? name : stdinFilename, beforeCmd, afterCmd, schedule, keep, maxAge);
    }

    private MountConfig mount(String name, JsonNode node, Map<String, RepositoryConfig> repositories, JsonNode repositoryNodes) {
        List<String> at = List.of("mounts", name);
        unknownKeys(at, node, MOUNT_KEYS);
        int before = problems.size();
        String repository = repositoryName(at, "mounts." + name, node, repositoryNodes);
        String path = string(at, node, "path");
        if (path == null && node.get("path") == null) {
            problem(at, "mounts." + name + ": 'path' is missing (the folder to mount at)");
        } else if (path != null && !Path.of(path).isAbsolute()) {
            problem(key(at, "path"), "mounts." + name + ".path: '" + path + "' must be an absolute folder");
        }
        if (problems.size() > before || repository == null || !repositories.containsKey(repository)) {
            return null;
        }
        return new MountConfig(name, repository, Path.of(path));
    }

    /** The repository a job or mount names; with one repository in the file, naming it is optional. */
    private String repositoryName(List<String> at, String where, JsonNode node, JsonNode repositoryNodes) {
        String repository = string(at, node, "repository");
        List<String> defined = new ArrayList<>();
        repositoryNodes.fieldNames().forEachRemaining(defined::add);
        if (repository == null && node.get("repository") == null) {
            if (defined.size() == 1) {
                return defined.get(0);
            }
            problem(at, where + ": 'repository' is missing" + (defined.isEmpty()
                    ? " and no [repositories.NAME] table defines one" : " (defined: " + String.join(", ", defined) + ")"));
            return null;
        }
        if (repository != null && !defined.contains(repository)) {
            problem(key(at, "repository"), where + ".repository: no repository named '" + repository + "'"
                    + (defined.isEmpty() ? " (none is defined)" : " (defined: " + String.join(", ", defined) + ")"));
            return null;
        }
        return repository;
    }

    private void unknownKeys(List<String> at, JsonNode node, List<String> known) {
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                problem(key(at, k), String.join(".", at) + ": unknown key '" + k + "' (known: " + String.join(", ", known) + ")");
            }
        });
    }

    private String string(List<String> at, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            problem(key(at, key), String.join(".", at) + "." + key + ": must be a string in quotes, not " + shown(v));
            return null;
        }
        if (v.asText().isBlank()) {
            problem(key(at, key), String.join(".", at) + "." + key + ": must not be empty");
            return null;
        }
        return v.asText();
    }

    private List<String> strings(List<String> at, JsonNode node, String key) {
        JsonNode v = node.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!v.isArray()) {
            problem(key(at, key), String.join(".", at) + "." + key + ": must be a list of strings, like [\"a\", \"b\"], not " + shown(v));
            return out;
        }
        for (JsonNode e : v) {
            if (!e.isTextual() || e.asText().isEmpty()) {
                problem(key(at, key), String.join(".", at) + "." + key + ": every item must be a non-empty string, not " + shown(e));
                return new ArrayList<>();
            }
            out.add(e.asText());
        }
        return out;
    }

    private Boolean bool(List<String> at, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isBoolean()) {
            problem(key(at, key), String.join(".", at) + "." + key + ": must be true or false, not " + shown(v));
            return null;
        }
        return v.asBoolean();
    }

    private Integer count(List<String> at, JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 1_000_000) {
            problem(key(at, key), String.join(".", at) + "." + key + ": must be a whole number of at least 1, not " + shown(v));
            return null;
        }
        return v.asInt();
    }

    private Duration duration(List<String> at, JsonNode node, String key) {
        String s = string(at, node, key);
        if (s == null) {
            return null;
        }
        Duration d = Durations.parse(s);
        if (d == null || d.isZero()) {
            problem(key(at, key), String.join(".", at) + "." + key + ": '" + s + "' is not a duration (like 36h, 7d, 2w or 1d12h)");
            return null;
        }
        return d;
    }

    private Schedule schedule(List<String> at, JsonNode node, String key) {
        String s = string(at, node, key);
        if (s == null) {
            return null;
        }
        try {
            return Schedule.parse(s);
        } catch (IllegalArgumentException e) {
            problem(key(at, key), String.join(".", at) + "." + key + ": " + e.getMessage());
            return null;
        }
    }

    private static String shown(JsonNode v) {
        if (v.isTextual()) {
            return "\"" + v.asText() + "\"";
        }
        if (v.isObject()) {
            return "a table";
        }
        return v.toString();
    }

    private static List<String> key(List<String> at, String key) {
        List<String> k = new ArrayList<>(at);
        k.add(key);
        return k;
    }

    private void problem(List<String> path, String message) {
        problems.add(new ConfigProblem(path.isEmpty() ? 1 : lines.of(path), message));
    }
}
