package dev.strata.core.index;

/**
 * A stored copy of a chunk that cannot be used: where it was and why. The index keeps these so that
 * a damaged or vanished copy is treated as absent (a backup stores the chunk again) while check,
 * repair and prune can still say which pack lost what.
 */
public record LostChunk(ChunkLocation location, Reason reason) {
    /** Why a copy is lost. Codes are persisted in the index: never renumber. */
    public enum Reason {
        /** Its bytes fail authentication or do not decode (found by a read). */
        DAMAGED(1),
        /** Its pack is no longer in the repository although the index knew it. */
        MISSING(2);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        static Reason fromCode(int code) {
            for (Reason r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw new IllegalArgumentException("unknown lost-chunk reason " + code);
        }
    }
}
