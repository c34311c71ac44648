package dev.strata.sync.volumes;

import dev.strata.core.testing.RandomData;
import dev.strata.sync.chunks.ChunkSpaces;
import dev.strata.sync.identity.DeviceIdentity;
import dev.strata.sync.net.PeerConnection;
import dev.strata.sync.net.TestDevice;
import dev.strata.sync.wire.SpaceId;
import dev.strata.sync.wire.VolumeMessages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A joining device's question for a volume's keys, when connections come and go under it. */
@Timeout(60)
class JoinKeysTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void aQuestionOnAConnectionDroppedForItsDuplicate_goesAgainAtOnce_onTheConnectionThatStays() throws Exception {
        // The tie rule keeps the connection the smaller ID dialled: the joiner gets the smaller one, so
        // that its second dial wins over the sharer's connection and the question's connection is dropped.
        DeviceIdentity one = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
        DeviceIdentity two = DeviceIdentity.generate(DeviceIdentity.SUBJECT, Clock.systemUTC());
        boolean oneSmaller = one.id().compareTo(two.id()) < 0;
        TestDevice joiner = new TestDevice("joiner", oneSmaller ? one : two);
        TestDevice sharer = new TestDevice("sharer", oneSmaller ? two : one);
        byte[] keys = RandomData.bytes(5, 64);
        SpaceId volume = SpaceId.of(RandomData.bytes(6, 16));
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch answerFirst = new CountDownLatch(1);
        AtomicInteger questions = new AtomicInteger();
        // The sharer holds back its answer to the first question until the duplicate has replaced its connection.
        KeysDirectory directory = (name, peer) -> {
            if (questions.incrementAndGet() == 1) {
                asked.countDown();
                try {
                    answerFirst.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new KeysDirectory.VolumeKeysPlain(volume, name, keys);
        };
        VolumeService atSharer = new VolumeService(new ChunkSpaces(), directory, sharer.log, WAIT);
        VolumeService atJoiner = new VolumeService(new ChunkSpaces(), null, joiner.log, WAIT);
        try (joiner; sharer; atSharer; atJoiner) {
            joiner.start(0, c -> Handlers.of(c, new ChunkSpaces(), atJoiner, joiner.log));
            sharer.start(0, c -> Handlers.of(c, new ChunkSpaces(), atSharer, sharer.log));
            joiner.trust(sharer); // the joiner does not dial: the first connection is the sharer's
            sharer.add(joiner);
            assertThat(joiner.awaitConnected(sharer, WAIT)).as(joiner.log()).isTrue();
            PeerConnection first = joiner.network.connections().connection(sharer.id()).orElseThrow();
            assertThat(first.direction()).isEqualTo(PeerConnection.Direction.INBOUND);

            CompletableFuture<VolumeMessages.Keys> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return atJoiner.askKeys(joiner.network.connections(), sharer.id(), "docs");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(asked.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            PeerConnection second;
            long dropped;
            try {
                second = joiner.dialOnce(sharer);
                dropped = System.nanoTime();
            } finally {
                answerFirst.countDown();
            }
            assertThat(first.isOpen()).as("the sharer's connection lost the tie").isFalse();
            VolumeMessages.Keys k = answer.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            long tookMillis = (System.nanoTime() - dropped) / 1_000_000;
            assertThat(k.volume()).isEqualTo(volume);
            assertThat(k.keys()).isEqualTo(keys);
            assertThat(questions.get()).as("asked again on the connection that stays").isEqualTo(2);
            assertThat(tookMillis).as("asked again at once, not at the next try of the join").isLessThan(1500);
            assertThat(joiner.network.connections().connection(sharer.id())).contains(second);
        }
    }
}
