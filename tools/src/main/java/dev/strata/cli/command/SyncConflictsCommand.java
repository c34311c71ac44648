package dev.strata.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.cli.CliContext;
import dev.strata.sync.volumes.ConflictLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code strata sync conflicts}: the conflicts this device decided, and where the other side's content is. */
@Command(name = "conflicts", description = {"List the conflicts this device decided: a path changed on two devices while",
        "apart. One change was kept everywhere; the other is a version of the path in versions/."})
final class SyncConflictsCommand implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin
    OutputArgs output;
    @Mixin
    SyncStateArgs state;

    SyncConflictsCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws Exception {
        List<ConflictLog.Entry> all = new ConflictLog(state.syncState(ctx)).list();
        if (output.json) {
            ArrayNode arr = Json.MAPPER.createArrayNode();
            for (ConflictLog.Entry e : all) {
                ObjectNode n = arr.addObject();
                n.put("volume", e.volume());
                n.put("path", e.path());
                n.put("decided", e.decided().toString());
                n.put("kept", e.keptHere() ? "this device" : "peer");
                n.put("keptDevice", e.keptDevice());
                n.put("lostDevice", e.lostDevice());
                n.put("lostDeleted", e.lostDeleted());
                n.put("lostSize", e.lostSize());
                n.put("lostMtime", e.lostMtime());
            }
            ctx.out().println(Json.write(arr));
            return 0;
        }
        if (all.isEmpty()) {
            ctx.out().println("No conflicts.");
            return 0;
        }
        for (ConflictLog.Entry e : all) {
            String lost = e.lostDeleted() ? "a deletion (the file stays)"
                    : "a change of " + e.lostSize() + " bytes from " + e.lostMtime() + ", in versions/volume-" + e.volume()
                    + "/" + e.path() + "/";
            ctx.out().println(Times.local(e.decided()) + "  " + e.volume() + ":" + e.path() + "  kept the change of "
                    + (e.keptHere() ? "this device" : "device " + e.keptDevice().substring(0, 8)) + "; not kept: " + lost);
        }
        return 0;
    }
}
