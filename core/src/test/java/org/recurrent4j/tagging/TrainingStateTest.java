package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.io.BoundedZip;

/**
 * A checkpoint's training state is plain data (JSON and a checked array) that reads back exactly; a checkpoint made
 * to attack or confuse the reader is skipped within seconds, naming the file and the reason, and training resumes
 * from the one before it.
 */
class TrainingStateTest {

    @TempDir
    Path dir;

    @Test
    void roundTripAndTheRandomStreamsGoOnWhereTheyStopped() throws IOException {
        TrainingState st = new TrainingState();
        st.epoch = 3;
        st.position = 1;
        st.order = new int[]{2, 0, 1};
        st.orderRandom = new RestorableRandom(5);
        st.unknownRandom = new RestorableRandom(6);
        st.orderRandom.nextInt(10);
        st.bestScore = 0.75;
        st.bestParams = Nd4j.createFromArray(1f, 2f, 3f, 4f);
        TrainingState back = TrainingState.read(st.toJson(), st.bestParamsBytes(), "t", 3, 4);
        assertEquals(3, back.epoch);
        assertEquals(1, back.position);
        assertArrayEquals(st.order, back.order);
        assertEquals(0.75, back.bestScore);
        assertEquals(Double.POSITIVE_INFINITY, back.bestDevLoss, "no dev loss yet: null in JSON");
        assertEquals(st.bestParams, back.bestParams);
        for (int i = 0; i < 5; i++) {
            assertEquals(st.orderRandom.nextLong(), back.orderRandom.nextLong());
            assertEquals(st.unknownRandom.nextDouble(), back.unknownRandom.nextDouble());
        }
        TrainingState fresh = new TrainingState();
        fresh.orderRandom = new RestorableRandom(1);
        fresh.unknownRandom = new RestorableRandom(2);
        assertNull(TrainingState.read(fresh.toJson(), null, "t", 3, 4).order);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aStateThatDoesNotFitTheRunIsRefusedNamingWhat() throws IOException {
        String ok = "{\"format\":2,\"epoch\":2,\"position\":0,\"order\":[1,0],\"global_batch\":4,\"loss_sum\":1.5,"
                + "\"order_random\":7,\"unknown_random\":8,\"best_score\":0.5,\"best_dev_loss\":2.0,\"since_best\":0}";
        assertEquals(2, TrainingState.read(json(ok), null, "c.zip", 2, 4).epoch);
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put(ok.replace("[1,0]", "[1,0,2]"), "batch order has 3 entries");
        bad.put(ok.replace("[1,0]", "[1,1]"), "not a permutation");
        bad.put(ok.replace("\"epoch\":2", "\"epoch\":-1"), "'epoch'");
        bad.put(ok.replace("\"position\":0", "\"position\":99"), "'position'");
        bad.put(ok.replace("\"order_random\":7,", ""), "'order_random'");
        bad.put(ok.replace("\"format\":2", "\"format\":9"), "format 9");
        bad.put("[1,2]", "not a JSON object");
        bad.put("{\"format\":", "not valid JSON");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            IOException x = assertThrows(IOException.class,
                    () -> TrainingState.read(json(e.getKey()), null, "c.zip", 2, 4), e.getKey());
            assertTrue(x.getMessage().startsWith("c.zip") && x.getMessage().contains(e.getValue()), x.getMessage());
        }
        TrainingState st = new TrainingState();
        st.orderRandom = new RestorableRandom(1);
        st.unknownRandom = new RestorableRandom(2);
        st.bestParams = Nd4j.createFromArray(1f, 2f, 3f);
        IOException x = assertThrows(IOException.class,
                () -> TrainingState.read(st.toJson(), st.bestParamsBytes(), "c.zip", 2, 4));
        assertTrue(x.getMessage().contains("number 3, the network has 4"), x.getMessage());
        x = assertThrows(IOException.class, () -> TrainingState.read(st.toJson(), hugeArray(), "c.zip", 2, 4));
        assertTrue(x.getMessage().contains("declares"), x.getMessage());
    }

    /** An array header in ND4J's format declaring 2^40 floats, followed by 8 bytes. */
    static byte[] hugeArray() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            d.writeUTF("MIXED_DATA_TYPES");
            d.writeLong(6);
            d.writeUTF("LONG");
            for (long v : new long[]{1, 1L << 40, 1, 0, 8192, 99}) {
                d.writeLong(v);
            }
            d.writeUTF("MIXED_DATA_TYPES");
            d.writeLong(1L << 40);
            d.writeUTF("FLOAT");
            d.writeLong(0);
        }
        return b.toByteArray();
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

    static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        Files.write(file, FilesFromElsewhereFuzzTest.zip(entries));
    }

    /** {@code file}'s network entry with {@code change} applied to DL4J's zip inside it. */
    static void changeNetwork(Path file, UnaryOperator<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> outer = BoundedZip.read(file, null, "a zip");
        Map<String, byte[]> inner = change.apply(new LinkedHashMap<>(BoundedZip.read(outer.get("network.zip"),
                "network", null, "a zip")));
        outer.put("network.zip", FilesFromElsewhereFuzzTest.zip(inner));
        writeZip(file, outer);
    }

    @Test
    void craftedNewestCheckpointsAreSkippedInSecondsAndTrainingResumesFromTheOneBefore() throws Exception {
        Path ckpt = dir.resolve("ckpt");
        TaggerConfig c = TaggerTest.small(3);
        c.epochs = 2;
        TaggerTrainer.Control write = new TaggerTrainer.Control(new Checkpoints(ckpt, 5), null, true, false, false,
                new AtomicBoolean());
        TaggerTrainer.train(TaggerTest.data(), TaggerTest.data().subList(0, 4), c, new TaggerTrainer.Listener() { },
                write);
        List<Path> written = new Checkpoints(ckpt, 5).list();
        assertTrue(written.size() >= 2, "checkpoints " + written);
        Path newest = written.get(0);
        byte[] original = Files.readAllBytes(newest);

        List<UnaryOperator<Path>> crafts = List.of(
                // the state as a Java-serialized bomb, as earlier versions stored it
                f -> rewrite(f, m -> {
                    m.remove(Checkpoints.STATE);
                    m.put(Checkpoints.OLD_STATE, uncheck(TrainingStateTest::bomb));
                    return m;
                }),
                // DL4J's reader would deserialize a preprocessor.bin with an unfiltered ObjectInputStream
                f -> {
                    uncheckRun(() -> changeNetwork(f, m -> {
                        m.put("preprocessor.bin", uncheck(TrainingStateTest::bomb));
                        return m;
                    }));
                    return f;
                },
                // the network's parameters declared as 2^40 floats
                f -> {
                    uncheckRun(() -> changeNetwork(f, m -> {
                        m.put("coefficients.bin", uncheck(TrainingStateTest::hugeArray));
                        return m;
                    }));
                    return f;
                },
                // the best parameters declared as 2^40 floats
                f -> rewrite(f, m -> {
                    m.put(Checkpoints.BEST_PARAMS, uncheck(TrainingStateTest::hugeArray));
                    return m;
                }),
                // another run's batch order
                f -> rewrite(f, m -> {
                    m.put(Checkpoints.STATE, new String(m.get(Checkpoints.STATE), StandardCharsets.UTF_8)
                            .replaceFirst("\"order\" : \\[[^]]*]", "\"order\" : [0, 1, 2, 3, 4, 5, 6, 7, 8]")
                            .replaceFirst("\"order\" : null", "\"order\" : [0, 1, 2, 3, 4, 5, 6, 7, 8]")
                            .getBytes(StandardCharsets.UTF_8));
                    return m;
                }),
                // cut short
                f -> {
                    uncheckRun(() -> Files.write(f, java.util.Arrays.copyOf(original, original.length / 2)));
                    return f;
                });
        List<String> reasons = List.of("earlier recurrent4j", "'preprocessor.bin'", "declares", "declares",
                "batch order", "zip");
        for (int k = 0; k < crafts.size(); k++) {
            Files.write(newest, original);
            crafts.get(k).apply(newest);
            int craft = k;
            Checkpoints.Loaded loaded = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> new Checkpoints(ckpt, 5).newest((TaggerTest.data().size() + c.batch - 1) / c.batch),
                    "craft " + craft);
            assertEquals(written.get(1), loaded.file(), "craft " + k + " resumes from the one before");
            assertEquals(1, loaded.skipped().size(), "craft " + k);
            assertTrue(loaded.skipped().get(0).startsWith(newest.getFileName().toString())
                    && loaded.skipped().get(0).contains(reasons.get(k)), "craft " + k + ": " + loaded.skipped().get(0));
        }

        // and training goes on from there
        List<Path> resumedFrom = new ArrayList<>();
        TaggerTrainer.Control resume = new TaggerTrainer.Control(new Checkpoints(ckpt, 5), null, false, true, false,
                new AtomicBoolean());
        TaggerTrainer.train(TaggerTest.data(), TaggerTest.data().subList(0, 4), c, new TaggerTrainer.Listener() {
            @Override
            public void resumed(Path checkpoint, int epoch, int batch, List<String> skipped) {
                resumedFrom.add(checkpoint);
            }
        }, resume);
        assertEquals(List.of(written.get(1)), resumedFrom);
        assertTrue(Files.exists(newest.resolveSibling(newest.getFileName() + ".invalid")),
                "the skipped checkpoint is kept under another name");
    }

    @Test
    void noValidCheckpointIsAnErrorUnlessAskedToStartAfresh() throws Exception {
        Path ckpt = dir.resolve("bad");
        Files.createDirectories(ckpt);
        Files.write(ckpt.resolve("checkpoint-e0002-b0000000.zip"), new byte[]{'P', 'K', 3, 4, 1, 2});
        TaggerConfig c = TaggerTest.small(3);
        c.epochs = 1;
        TaggerTrainer.Control strict = new TaggerTrainer.Control(new Checkpoints(ckpt, 5), null, false, true, false,
                new AtomicBoolean());
        IOException e = assertThrows(Checkpoints.NoValidCheckpointException.class, () -> TaggerTrainer.train(
                TaggerTest.data(), TaggerTest.data().subList(0, 4), c, new TaggerTrainer.Listener() { }, strict));
        assertTrue(e.getMessage().contains("checkpoint-e0002-b0000000.zip") && e.getMessage().contains("--fresh-if"),
                e.getMessage());
        List<String> afresh = new ArrayList<>();
        TaggerTrainer.Control lenient = new TaggerTrainer.Control(new Checkpoints(ckpt, 5), null, true, true, true,
                new AtomicBoolean());
        TaggerTrainer.train(TaggerTest.data(), TaggerTest.data().subList(0, 4), c, new TaggerTrainer.Listener() {
            @Override
            public void startingAfresh(String why, List<Path> kept) {
                afresh.add(why + " " + kept);
            }
        }, lenient);
        assertEquals(1, afresh.size());
        // kept under another name, so that the new run's checkpoint e0002 does not write over it
        Path kept = ckpt.resolve("checkpoint-e0002-b0000000.zip.invalid");
        assertTrue(afresh.get(0).contains(kept.getFileName().toString()), afresh.get(0));
        assertArrayEquals(new byte[]{'P', 'K', 3, 4, 1, 2}, Files.readAllBytes(kept), "the invalid checkpoint stays");
        assertTrue(Files.exists(ckpt.resolve("checkpoint-e0002-b0000000.zip")), "the new run wrote its own");
    }

    private static Path rewrite(Path f, UnaryOperator<Map<String, byte[]>> change) {
        uncheckRun(() -> writeZip(f, change.apply(new LinkedHashMap<>(BoundedZip.read(f, null, "a zip")))));
        return f;
    }

    interface IoSupplier<T> {
        T get() throws IOException;
    }

    interface IoRunnable {
        void run() throws IOException;
    }

    static <T> T uncheck(IoSupplier<T> s) {
        try {
            return s.get();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void uncheckRun(IoRunnable r) {
        try {
            r.run();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void bestParametersKeepTheirDataType() throws IOException {
        TrainingState st = new TrainingState();
        st.orderRandom = new RestorableRandom(1);
        st.unknownRandom = new RestorableRandom(2);
        st.bestParams = Nd4j.createFromArray(1.0, 2.0);
        assertEquals(DataType.DOUBLE, TrainingState.read(st.toJson(), st.bestParamsBytes(), "t", 1, 2).bestParams
                .dataType());
    }
}
