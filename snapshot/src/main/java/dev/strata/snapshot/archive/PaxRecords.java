package dev.strata.snapshot.archive;

import dev.strata.core.tree.Timestamp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The body of one PAX extended header ({@code typeflag 'x'}): records "LENGTH KEY=VALUE\n", LENGTH
 * counting the whole record in decimal. Values are bytes, so an xattr's binary value goes in as it is
 * (as GNU tar writes it). Confined to one thread.
 */
final class PaxRecords {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    PaxRecords add(String key, String value) {
        return add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    PaxRecords add(String key, byte[] value) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        int rest = 1 + k.length + 1 + value.length + 1; // " " KEY "=" VALUE "\n"
        int len = rest + String.valueOf(rest).length();
        if (String.valueOf(len).length() != String.valueOf(rest).length()) {
            len = rest + String.valueOf(len).length(); // the length's own digits carried it over a power of ten
        }
        body.writeBytes((len + " ").getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(k);
        body.write('=');
        body.writeBytes(value);
        body.write('\n');
        return this;
    }

    /** A time as PAX writes it: decimal seconds with nine digits of fraction, negative times included. */
    PaxRecords time(String key, Timestamp t) {
        if (t.nanos() == 0) {
            return add(key, Long.toString(t.seconds()));
        }
        if (t.seconds() < 0) {
            // -1.25 s is seconds -2 with 750,000,000 ns.
            return add(key, "-" + (-(t.seconds() + 1)) + "." + String.format("%09d", 1_000_000_000 - t.nanos()));
        }
        return add(key, t.seconds() + "." + String.format("%09d", t.nanos()));
    }

    PaxRecords addAll(PaxRecords other) {
        body.writeBytes(other.bytes());
        return this;
    }

    byte[] bytes() {
        return body.toByteArray();
    }
}
