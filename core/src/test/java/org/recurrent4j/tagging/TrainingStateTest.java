package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A checkpoint's training state reads back, and a crafted object graph in its place is refused at once. */
class TrainingStateTest {

    @Test
    void roundTrip() throws IOException {
        TrainingState st = new TrainingState();
        st.epoch = 3;
        st.order = new int[]{2, 0, 1};
        st.orderRandom = new Random(5);
        st.unknownRandom = new Random(6);
        st.bestParams = new byte[]{1, 2, 3};
        TrainingState back = TrainingState.fromBytes(st.toBytes());
        assertEquals(3, back.epoch);
        assertArrayEquals(st.order, back.order);
        assertEquals(new Random(5).nextLong(), back.orderRandom.nextLong());
        assertArrayEquals(st.bestParams, back.bestParams);
    }

    /** The classic deserialization bomb: nested sets whose hashing takes 2^depth steps. */
    static byte[] bomb() throws IOException {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Set<Object> t1 = new HashSet<>();
            Set<Object> t2 = new HashSet<>();
            t1.add("x");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(root);
        }
        return b.toByteArray();
    }

    @Test
    void aCraftedObjectGraphIsRefusedWithoutBeingBuilt() throws IOException {
        byte[] bomb = bomb();
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(IOException.class, () -> TrainingState.fromBytes(bomb)));
        assertTrue(e.getMessage().startsWith("not a recurrent4j training state"), e.getMessage());
    }
}
