package dev.strata.core.tree;

import dev.strata.core.error.CorruptDataException;
import dev.strata.core.id.ChunkId;
import dev.strata.core.store.ChunkRef;
import dev.strata.core.testing.Mutations;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Valid trees and content lists with random damage: decoding gives a value or
 * {@link CorruptDataException} naming the object, quickly, and never anything else.
 */
class TreeDecoderFuzzTest {
    private static final long MAX_NANOS = 1_000_000_000L;

    @Property(tries = 1500)
    void damagedTree_decodesOrIsCorrupt(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] damaged = Mutations.mutate(TreeCodec.encode(randomTree(random)), random);
        long start = System.nanoTime();
        try {
            Tree t = TreeCodec.decode(damaged, "tree fuzzed");
            assertThat(t.nodes()).allSatisfy(n -> assertThat(Names.isSafe(n.name())).isTrue());
        } catch (CorruptDataException e) {
            assertThat(e.getMessage()).startsWith("tree fuzzed: ");
        }
        assertThat(System.nanoTime() - start).isLessThan(MAX_NANOS);
    }

    @Property(tries = 1000)
    void damagedContentList_decodesOrIsCorrupt(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] damaged = Mutations.mutate(TreeCodec.encodeContentList(randomRefs(random, 1 + random.nextInt(50))), random);
        long start = System.nanoTime();
        try {
            List<ChunkRef> refs = TreeCodec.decodeContentList(damaged, "list fuzzed");
            long total = 0;
            for (ChunkRef r : refs) {
                total = Math.addExact(total, r.length());
            }
            assertThat(total).isNotNegative();
        } catch (CorruptDataException e) {
            assertThat(e.getMessage()).startsWith("list fuzzed: ");
        }
        assertThat(System.nanoTime() - start).isLessThan(MAX_NANOS);
    }

    static Tree randomTree(Random random) {
        List<Node> nodes = new ArrayList<>();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            String name = "n" + i + (random.nextBoolean() ? "-ü" : "");
            NodeType type = NodeType.values()[random.nextInt(NodeType.values().length)];
            Node.Builder b = Node.builder(name, type).mode(random.nextInt(07777))
                    .owner(random.nextInt(70000), random.nextInt(70000), random.nextBoolean() ? "ana" : "", "staff")
                    .times(new Timestamp(random.nextLong() >> 20, random.nextInt(1_000_000_000)), Timestamp.EPOCH,
                            new Timestamp(random.nextInt(), 0))
                    .identity(random.nextLong() & Long.MAX_VALUE, random.nextInt(), 1 + random.nextInt(3));
            if (random.nextInt(4) == 0) {
                b.xattrs(List.of(new Xattr("user.k" + i, new byte[random.nextInt(40)])));
            }
            switch (type) {
                case FILE -> b.content(new FileContent.Inline(randomRefs(random, random.nextInt(6))));
                case DIRECTORY -> b.subtree(randomId(random));
                case SYMLINK -> b.linkTarget(("../target/" + i).getBytes());
                case CHAR_DEVICE, BLOCK_DEVICE -> b.rdev(random.nextInt(1 << 20));
                default -> { }
            }
            nodes.add(b.build());
        }
        return new Tree(nodes);
    }

    static List<ChunkRef> randomRefs(Random random, int count) {
        List<ChunkRef> refs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            refs.add(random.nextInt(4) == 0 ? ChunkRef.hole(1 + random.nextInt(1 << 24))
                    : ChunkRef.chunk(randomId(random), 1 + random.nextInt(1 << 23)));
        }
        return ChunkRef.mergeHoles(refs);
    }

    private static ChunkId randomId(Random random) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        return ChunkId.of(id);
    }
}
