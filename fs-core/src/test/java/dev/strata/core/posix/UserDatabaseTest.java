package dev.strata.core.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Checks user and group lookups, unknown ids, the cache and concurrent use. */
class UserDatabaseTest {
    /** Not in any passwd or group file one would run tests on. */
    private static final int UNUSED_ID = 1_987_654_321;

    private final Posix posix = Posix.get();

    @Test
    void userName_root() {
        assertThat(posix.userName(0)).contains("root");
    }

    @Test
    void groupName_root() {
        assertThat(posix.groupName(0)).contains("root");
    }

    @Test
    void uidAndGid_ofRoot_areZero() {
        assertThat(posix.uid("root")).hasValue(0);
        assertThat(posix.gid("root")).hasValue(0);
    }

    @Test
    void lookups_agreeWithEachOther() {
        int nobody = posix.uid("nobody").orElse(65534);
        posix.userName(nobody).ifPresent(name -> assertThat(posix.uid(name)).hasValue(nobody));
    }

    @Test
    void unknownIdsAndNames_areEmpty() {
        assertThat(posix.userName(UNUSED_ID)).isEmpty();
        assertThat(posix.groupName(UNUSED_ID)).isEmpty();
        assertThat(posix.uid("no-such-user-strata")).isEmpty();
        assertThat(posix.gid("no-such-group-strata")).isEmpty();
        // and again, from the cache
        assertThat(posix.userName(UNUSED_ID)).isEmpty();
        assertThat(posix.uid("no-such-user-strata")).isEmpty();
    }

    @Test
    void concurrentLookups_allAnswerTheSame() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Optional<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int id = i % 2 == 0 ? 0 : UNUSED_ID - i; // fresh misses as well as cache hits
                answers.add(pool.submit(() -> posix.userName(id)));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertThat(answers.get(i).get()).isEqualTo(i % 2 == 0 ? Optional.of("root") : Optional.empty());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
