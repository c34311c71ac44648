package dev.strata.bench;

import java.util.SplittableRandom;

/** JSON lines of user-like records: repeated keys, random numbers, ids, dates and tags. */
final class JsonLike {
    private static final String[] TAGS = {"alpha", "beta", "gamma", "delta", "ops", "dev", "eu", "us", "trial", "paid"};

    private JsonLike() {
    }

    static void fill(byte[] out, int offset, int length, SplittableRandom rnd) {
        Vocabulary vocab = new Vocabulary(3000, rnd);
        AsciiWriter w = new AsciiWriter(out, offset, length);
        long id = rnd.nextLong(1_000_000_000L);
        while (!w.full()) {
            id += 1 + rnd.nextInt(50);
            w.put("{\"id\":");
            w.put(id);
            w.put(",\"name\":\"");
            w.put(vocab.next(rnd));
            w.put(' ');
            w.put(vocab.next(rnd));
            w.put("\",\"email\":\"");
            w.put(vocab.next(rnd));
            w.put('@');
            w.put(vocab.next(rnd));
            w.put(".example\",\"active\":");
            w.put(rnd.nextBoolean() ? "true" : "false");
            w.put(",\"score\":");
            w.put(rnd.nextInt(100_000));
            w.put('.');
            w.put(rnd.nextInt(100));
            w.put(",\"created\":\"20");
            w.put(10 + rnd.nextInt(16));
            w.put('-');
            w.put(String.format("%02d-%02dT%02d:%02d:%02dZ", 1 + rnd.nextInt(12), 1 + rnd.nextInt(28),
                    rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60)));
            w.put("\",\"tags\":[");
            int tags = rnd.nextInt(4);
            for (int i = 0; i < tags; i++) {
                w.put(i == 0 ? "\"" : ",\"");
                w.put(TAGS[rnd.nextInt(TAGS.length)]);
                w.put('"');
            }
            w.put("],\"token\":\"");
            w.put(Long.toHexString(rnd.nextLong()));
            w.put("\"}\n");
        }
        w.pad();
    }
}
