package dev.strata.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.cli.jobs.JobOutcome;

/** The JSON of a job's run, shared by {@code strata run --json} and the daemon's log. Stateless. */
final class JobsJson {
    private JobsJson() {
    }

    static ObjectNode outcome(JobOutcome o) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("job", o.job());
        n.put("result", o.result().word());
        n.put("started", o.started().toString());
        n.put("seconds", o.duration().toMillis() / 1000.0);
        if (o.bytesAdded() >= 0) {
            n.put("bytesAdded", o.bytesAdded());
        } else {
            n.putNull("bytesAdded");
        }
        n.put("snapshot", o.snapshot());
        n.put("pruned", o.pruned());
        n.put("checked", o.checked());
        n.put("message", o.message());
        return n;
    }
}
