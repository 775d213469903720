package dev.pronto.inference.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class HeapWeigherTest {

    /** A class of our own: its fields are read, not estimated. */
    private static final class Node {
        final long value;
        Node next;
        final Object payload;

        Node(long value, Object payload) {
            this.value = value;
            this.payload = payload;
        }
    }

    @Test
    void weighsArraysAsHotSpotLaysThemOut() {
        assertThat(HeapWeigher.weigh(new int[1000])).isEqualTo(16 + 4000);
        assertThat(HeapWeigher.weigh(new byte[3])).isEqualTo(24);
        // 16 + 10 references of 4 bytes, each element a 24-byte Double
        Double[] boxed = new Double[10];
        for (int i = 0; i < boxed.length; i++) {
            boxed[i] = 0.5 + i;
        }
        assertThat(HeapWeigher.weigh(boxed)).isEqualTo(56 + 10 * 24);
    }

    @Test
    void countsTheCharactersOfAStringThatItsFieldsHide() {
        // 24 bytes of String, and its 100 Latin-1 bytes in an array of 16 + 100, aligned to 120
        assertThat(HeapWeigher.weigh("x".repeat(100))).isEqualTo(24 + 120);
    }

    @Test
    void ownObjectsAreWalkedThroughTheirFieldsAndSharedObjectsCountOnce() {
        int[] shared = new int[1000];
        Node first = new Node(1, shared);
        first.next = new Node(2, shared);
        first.next.next = first; // a cycle ends the walk, it does not loop

        // a Node is 12 + 8 + 4 + 4 = 28, aligned to 32
        assertThat(HeapWeigher.weigh(first)).isEqualTo(2 * 32 + 16 + 4000);
    }

    @Test
    void collectionsAndMapsCountTheirContentsAndEstimatedStorage() {
        List<int[]> list = new ArrayList<>();
        Map<String, int[]> map = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            list.add(new int[250]);
            map.put("key" + i, new int[250]);
        }
        long contents = 100 * (16 + 1000);
        assertThat(HeapWeigher.weigh(list)).isBetween(contents, contents + 1000);
        // plus 100 keys and 100 entries
        assertThat(HeapWeigher.weigh(map)).isBetween(contents + 100 * (24 + 24 + 32), contents + 100 * 100);
    }

    @Test
    void classesEnumsAndThreadsAreSharedByTheJvmAndWeighNothing() {
        Object[] shared = {String.class, TimeUnit.SECONDS, Thread.currentThread()};
        assertThat(HeapWeigher.weigh(shared)).isEqualTo(16 + 3 * 4 + 4);
    }
}
