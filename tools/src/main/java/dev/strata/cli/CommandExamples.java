package dev.strata.cli;

import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The examples at the end of every command's {@code --help} (picocli's footer, so the man pages
 * carry them too), in one table so that they read alike and a test can parse each one. Stateless.
 */
final class CommandExamples {
    /** By command path without "strata "; the root is "". */
    static final Map<String, List<String>> EXAMPLES = Map.ofEntries(
            Map.entry("", List.of(
                    "strata init",
                    "strata backup ~/Documents",
                    "strata --repo /backup/strata snapshots")),
            Map.entry("demo", List.of(
                    "strata demo",
                    "strata demo --dir /tmp/strata-demo")),
            Map.entry("init", List.of(
                    "strata init",
                    "strata init --repo /backup/strata",
                    "strata init --repo s3:https://s3.example.com/bucket/strata")),
            Map.entry("backup", List.of(
                    "strata backup ~/Documents ~/Pictures",
                    "strata backup --exclude '**/node_modules' --tag daily /home",
                    "pg_dump shop | strata backup --stdin --stdin-filename shop.sql",
                    "strata backup --from-tar old-backup.tar.gz")),
            Map.entry("dump", List.of(
                    "strata dump latest:/home/ana/Documents > documents.tar",
                    "strata dump 1a2b3c4d:/etc -o etc.tar.zst",
                    "strata dump latest:/home/ana/notes.txt --format zip -o notes.zip")),
            Map.entry("image", List.of(
                    "strata image create /dev/sdb --name usb-stick",
                    "strata image list")),
            Map.entry("image create", List.of(
                    "strata image create /dev/sdb --name usb-stick",
                    "strata image create disk.img --name vm --used-only")),
            Map.entry("image list", List.of(
                    "strata image list",
                    "strata image list --long vm")),
            Map.entry("image ls", List.of(
                    "strata image ls vm",
                    "strata image ls vm part1/home")),
            Map.entry("image restore", List.of(
                    "strata image restore usb-stick --target /dev/sdc",
                    "strata image restore vm --path part1/etc --target ./etc-from-vm")),
            Map.entry("volume", List.of(
                    "strata volume create notes",
                    "strata volume list")),
            Map.entry("volume create", List.of(
                    "strata volume create notes",
                    "strata volume create projects --keep-daily 90d")),
            Map.entry("volume list", List.of("strata volume list")),
            Map.entry("volume info", List.of("strata volume info notes")),
            Map.entry("volume checkpoint", List.of("strata volume checkpoint notes")),
            Map.entry("volume rollback", List.of(
                    "strata volume rollback notes --to '2h ago'",
                    "strata volume rollback notes --to 2026-12-06T09:30:00Z")),
            Map.entry("volume import", List.of("strata volume import notes --from ~/Notes")),
            Map.entry("volume remove", List.of("strata volume remove notes")),
            Map.entry("sync", List.of(
                    "strata sync id",
                    "strata sync status")),
            Map.entry("sync id", List.of("strata sync id")),
            Map.entry("sync add-peer", List.of("strata sync add-peer PEER-DEVICE-ID laptop.local:7475")),
            Map.entry("sync peers", List.of("strata sync peers")),
            Map.entry("sync remove-peer", List.of("strata sync remove-peer PEER-DEVICE-ID")),
            Map.entry("sync run", List.of(
                    "strata sync run",
                    "strata sync run --listen 0.0.0.0:7475")),
            Map.entry("sync status", List.of("strata sync status")),
            Map.entry("sync share", List.of("strata sync share notes --with PEER-DEVICE-ID")),
            Map.entry("sync join", List.of("strata sync join notes --from PEER-DEVICE-ID")),
            Map.entry("sync conflicts", List.of("strata sync conflicts")),
            Map.entry("sync revert", List.of("strata sync revert notes")),
            Map.entry("config", List.of(
                    "strata config check",
                    "strata config check --config ./config.toml")),
            Map.entry("config check", List.of(
                    "strata config check",
                    "strata config check --config /etc/strata/config.toml")),
            Map.entry("run", List.of(
                    "strata run",
                    "strata run docs --json")),
            Map.entry("jobs", List.of(
                    "strata jobs",
                    "strata jobs --check")),
            Map.entry("daemon", List.of(
                    "strata daemon",
                    "strata daemon install --user")),
            Map.entry("daemon install", List.of(
                    "strata daemon install",
                    "strata daemon install --user")),
            Map.entry("daemon uninstall", List.of(
                    "strata daemon uninstall",
                    "strata daemon uninstall --user")),
            Map.entry("snapshots", List.of(
                    "strata snapshots",
                    "strata snapshots --host laptop --tag daily",
                    "strata --json snapshots")),
            Map.entry("ls", List.of(
                    "strata ls latest",
                    "strata ls --long latest /home/ana")),
            Map.entry("diff", List.of(
                    "strata diff 1a2b3c4d latest",
                    "strata diff 1a2b3c4d:/etc latest:/etc")),
            Map.entry("find", List.of(
                    "strata find '*.jpg'",
                    "strata find --ignore-case 'report*.pdf'",
                    "strata find '/home/*/notes/**'")),
            Map.entry("restore", List.of(
                    "strata restore latest --target /tmp/restored",
                    "strata restore latest:/home/ana/Documents --target ~/Documents-back",
                    "strata restore 1a2b3c4d --target / --include '/etc/**' --verify")),
            Map.entry("forget", List.of(
                    "strata forget --keep-daily 7 --keep-weekly 5 --dry-run",
                    "strata forget --keep-within 30d --prune",
                    "strata forget 1a2b3c4d")),
            Map.entry("prune", List.of(
                    "strata prune",
                    "strata prune --dry-run --max-unused 10")),
            Map.entry("check", List.of(
                    "strata check",
                    "strata check --read-data-subset 5%")),
            Map.entry("key", List.of(
                    "strata key list",
                    "strata key add")),
            Map.entry("key add", List.of(
                    "strata key add",
                    "strata key add --new-password-file /root/second-password")),
            Map.entry("key list", List.of("strata key list")),
            Map.entry("key remove", List.of("strata key remove 3f2a")),
            Map.entry("key passwd", List.of("strata key passwd")),
            Map.entry("stats", List.of(
                    "strata stats",
                    "strata stats latest")),
            Map.entry("repair", List.of(
                    "strata repair index",
                    "strata repair snapshots --dry-run")),
            Map.entry("repair index", List.of("strata repair index")),
            Map.entry("repair snapshots", List.of(
                    "strata repair snapshots --dry-run",
                    "strata repair snapshots 1a2b3c4d")),
            Map.entry("copy", List.of(
                    "strata copy --from /backup/strata --to s3:https://s3.example.com/bucket/strata",
                    "strata copy --from /backup/strata latest")),
            Map.entry("unlock", List.of(
                    "strata unlock",
                    "strata unlock --remove-all")),
            Map.entry("mount", List.of(
                    "strata mount ~/strata",
                    "strata mount --daemon /mnt/backup",
                    "strata mount --volume notes ~/Notes")),
            Map.entry("umount", List.of("strata umount ~/strata")));

    private CommandExamples() {
    }

    /** Appends each command's examples to its footer, below what the footer says already. */
    static void addTo(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        String path = spec.qualifiedName(" ");
        path = path.equals("strata") ? "" : path.substring("strata ".length());
        List<String> examples = EXAMPLES.get(path);
        if (examples != null && !String.join("\n", spec.usageMessage().footer()).contains("Examples:")) {
            List<String> footer = new ArrayList<>(List.of(spec.usageMessage().footer()));
            footer.add("");
            footer.add("Examples:");
            examples.forEach(e -> footer.add("  " + e));
            spec.usageMessage().footer(footer.toArray(String[]::new));
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getParent() == cl) {
                addTo(sub);
            }
        }
    }
}
