package org.recurrent4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Keras fixtures (core/src/test/resources/keras, written by tools/make_keras_fixtures.py in Keras 2's and Keras 3's
 * file layouts, their outputs from Keras' equations in NumPy): each model imported, run on its input, against Keras'
 * output, to a relative error below 1e-4 in float.
 */
class KerasImporterTest {

    @TempDir
    Path dir;

    static Path fixture(String name) {
        try {
            return Path.of(KerasImporterTest.class.getResource("/keras/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing fixture " + name + ": run tools/make_keras_fixtures.py", e);
        }
    }

    static Stream<String> models() throws IOException {
        try (Stream<Path> files = Files.list(fixture("k2_lstm_sequences.npz").getParent())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> (n.endsWith(".h5") && !n.endsWith(".weights.h5") || n.endsWith(".keras"))
                            && !n.contains("refused"))
                    .sorted().toList().stream();
        }
    }

    /** Keras' output for the fixture's input, and ours. */
    record Run(INDArray expected, INDArray actual, INDArray mask, INDArray expectedMask) {
    }

    static Run run(Model net, String base) throws IOException {
        Map<String, INDArray> data = Npz.read(fixture(base + ".npz"));
        INDArray x = data.get("x").castTo(DataType.FLOAT);
        INDArray mask = KerasImporter.paddingMask(net, x);
        INDArray y = net instanceof MultiLayerNetwork m ? m.output(x, false, mask, null)
                : ((ComputationGraph) net).output(false, new INDArray[]{x}, mask == null ? null
                : new INDArray[]{mask})[0];
        return new Run(data.get("y"), y, mask, data.get("mask"));
    }

    static void assertClose(Run r, String what) {
        assertArrayEquals(r.expected().shape(), r.actual().shape(), what + ": shape");
        INDArray e = r.expected().castTo(DataType.DOUBLE);
        INDArray a = r.actual().castTo(DataType.DOUBLE);
        double err = a.sub(e).amaxNumber().doubleValue() / e.amaxNumber().doubleValue();
        assertTrue(err < 1e-4, what + ": relative error " + err + "\nexpected " + e + "\nactual " + a);
    }

    @ParameterizedTest
    @MethodSource("models")
    void importedModelsReturnWhatKerasReturns(String file) throws IOException {
        String base = file.substring(0, file.lastIndexOf('.'));
        Path path = fixture(file);
        Model net = base.contains("functional") ? KerasImporter.importFunctional(path)
                : KerasImporter.importSequential(path);
        Run r = run(net, base);
        if (r.expectedMask() == null) {
            assertNull(r.mask(), file + ": a model without Embedding(mask_zero) or Masking derives no mask");
        } else {
            assertEquals(r.expectedMask().castTo(DataType.FLOAT), r.mask(), file + ": the mask Keras derives");
        }
        assertClose(r, file);
        if (!base.contains("functional")) {   // the same model as a graph
            assertClose(run(KerasImporter.importFunctional(path), base), file + " as a ComputationGraph");
        }
    }

    @Test
    void keras2JsonAndWeightsImport() throws IOException {
        MultiLayerNetwork net = KerasImporter.importSequential(fixture("k2_json_weights.json"),
                fixture("k2_json_weights.weights.h5"));
        assertClose(run(net, "k2_json_weights"), "to_json() + save_weights()");
    }

    @Test
    void importedNetworksSurviveModelSerializer() throws IOException {
        for (String f : List.of("k3_functional_tagger.keras", "k2_masking_gru_backwards.h5")) {
            Path out = dir.resolve(f + ".zip");
            Model net = KerasImporter.importToFile(fixture(f), out);
            String base = f.substring(0, f.lastIndexOf('.'));
            Model back = net instanceof MultiLayerNetwork ? ModelSerializer.restoreMultiLayerNetwork(out.toFile())
                    : ModelSerializer.restoreComputationGraph(out.toFile());
            assertClose(run(back, base), f + " restored");
            assertNotNull(KerasImporter.paddingMask(back, Npz.read(fixture(base + ".npz")).get("x")));
        }
    }

    @Test
    void paddingWithoutAMaskIsRefusedNotReadAsData() throws IOException {
        MultiLayerNetwork net = KerasImporter.importSequential(fixture("k2_embedding_mask_gru.h5"));
        INDArray x = Npz.read(fixture("k2_embedding_mask_gru.npz")).get("x").castTo(DataType.FLOAT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> net.output(x));
        assertTrue(e.getMessage().contains("example 1, step 3 is padding (token id 0")
                && e.getMessage().contains("KerasImporter.paddingMask"), e.getMessage());
        // a batch without padding needs no mask
        INDArray full = x.getRow(0, true).dup();
        assertEquals(3, net.output(full).rank());
    }

    @Test
    void unsupportedLayersAndOptionsAreRefusedByName() {
        String conv = assertThrows(IllegalArgumentException.class,
                () -> KerasImporter.importSequential(fixture("k2_refused_conv1d.h5"))).getMessage();
        assertTrue(conv.contains("k2_refused_conv1d.h5: layer 'conv1d' is a Conv1D: not supported"), conv);
        String stateful = assertThrows(IllegalArgumentException.class,
                () -> KerasImporter.importSequential(fixture("k3_refused_stateful.keras"))).getMessage();
        assertTrue(stateful.contains("layer 'lstm' (LSTM): option 'stateful' = true"), stateful);
        String functional = assertThrows(IllegalArgumentException.class,
                () -> KerasImporter.importSequential(fixture("k2_functional_tagger.h5"))).getMessage();
        assertTrue(functional.contains("importFunctional"), functional);
    }

    @Test
    void damagedMissingAndForeignFilesAreRefusedNamingTheFile() throws IOException {
        Path missing = dir.resolve("nope.h5");
        assertTrue(assertThrows(IOException.class, () -> KerasImporter.importSequential(missing)).getMessage()
                .contains("nope.h5"));
        Path text = Files.writeString(dir.resolve("model.h5"), "not a model");
        String msg = assertThrows(IOException.class, () -> KerasImporter.importSequential(text)).getMessage();
        assertTrue(msg.contains("model.h5: neither an HDF5 file"), msg);
        byte[] h5 = Files.readAllBytes(fixture("k2_lstm_sequences.h5"));
        for (int cut : new int[]{100, 2000, h5.length / 2}) {
            Path part = dir.resolve("cut" + cut + ".h5");
            Files.write(part, java.util.Arrays.copyOf(h5, cut));
            Exception ex = assertThrows(Exception.class, () -> KerasImporter.importSequential(part));
            assertTrue(ex instanceof IOException || ex instanceof IllegalArgumentException, ex.toString());
            assertTrue(ex.getMessage().contains(part.toString()), ex.getMessage());
        }
        // bytes overwritten anywhere: imported (where they were unused) or refused naming the file, nothing else
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 60; i++) {
            byte[] damaged = h5.clone();
            int at = random.nextInt(h5.length - 8);
            for (int k = 0; k < 8; k++) {
                damaged[at + k] = (byte) random.nextInt(256);
            }
            Path bad = dir.resolve("damaged" + i + ".h5");
            Files.write(bad, damaged);
            try {
                KerasImporter.importSequential(bad);
            } catch (IOException | IllegalArgumentException e) {
                assertTrue(e.getMessage().contains(bad.toString()), "bytes at " + at + ": " + e);
            }
        }
        byte[] keras = Files.readAllBytes(fixture("k3_lstm_sequences.keras"));
        Path part = dir.resolve("cut.keras");
        Files.write(part, java.util.Arrays.copyOf(keras, keras.length / 2));
        assertTrue(assertThrows(IOException.class, () -> KerasImporter.importSequential(part)).getMessage()
                .contains("cut.keras"));
        // importToFile leaves nothing behind on an error
        Path out = dir.resolve("out.zip");
        assertThrows(IllegalArgumentException.class,
                () -> KerasImporter.importToFile(fixture("k2_refused_conv1d.h5"), out));
        assertFalse(Files.exists(out));
        assertFalse(new File(dir.toFile(), "out.zip.tmp").exists());
    }

    // ---------------------------------------------------------------------------- what a user does with the model

    /**
     * An imported model ends in Keras' last layer, without a loss; fine-tuning puts an output layer on it. Through an
     * Embedding with mask_zero (whose mask check gets no gradient back from the Embedding) the loss falls.
     */
    @Test
    void anImportedEmbeddingModelFineTunesWithAnOutputLayer() throws IOException {
        MultiLayerNetwork net = KerasImporter.importSequential(fixture("k3_embedding_mask_gru.keras"));
        MultiLayerNetwork tuned = new org.deeplearning4j.nn.transferlearning.TransferLearning.Builder(net)
                .fineTuneConfiguration(new org.deeplearning4j.nn.transferlearning.FineTuneConfiguration.Builder()
                        .updater(new org.nd4j.linalg.learning.config.Adam(0.05)).build())
                .removeLayersFromOutput(1)
                .addLayer(new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
                        .activation(org.nd4j.linalg.activations.Activation.SOFTMAX).nIn(3).nOut(2)
                        .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NWC).build())
                .build();
        Map<String, INDArray> data = Npz.read(fixture("k3_embedding_mask_gru.npz"));
        INDArray x = data.get("x").castTo(DataType.FLOAT);
        INDArray mask = KerasImporter.paddingMask(tuned, x);
        INDArray y = org.nd4j.linalg.factory.Nd4j.zeros(DataType.FLOAT, x.size(0), x.size(1), 2);
        for (long b = 0; b < x.size(0); b++) {
            for (long t = 0; t < x.size(1); t++) {
                y.putScalar(new long[]{b, t, (long) x.getDouble(b, t) % 2}, 1);   // parity of the token id
            }
        }
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> KerasImporter
                .paddingMask(tuned, org.nd4j.linalg.factory.Nd4j.rand(DataType.FLOAT, 3, 5, 4)));
        assertTrue(wrong.getMessage().contains("token ids"), wrong.getMessage());
        org.nd4j.linalg.dataset.DataSet ds = new org.nd4j.linalg.dataset.DataSet(x, y, mask, mask);
        double before = tuned.score(ds, false);
        for (int i = 0; i < 30; i++) {
            tuned.fit(ds);
        }
        double after = tuned.score(ds, false);
        assertTrue(after < 0.5 * before, "loss " + before + " -> " + after);
    }

    /** go_backwards reads the whole sequence reversed: step by step it would compute something else, so it refuses. */
    @Test
    void goBackwardsModelsRefuseStepByStep() throws IOException {
        MultiLayerNetwork net = KerasImporter.importSequential(fixture("k2_masking_gru_backwards.h5"));
        INDArray x = Npz.read(fixture("k2_masking_gru_backwards.npz")).get("x").castTo(DataType.FLOAT);
        INDArray step = x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1), org.nd4j.linalg.indexing.NDArrayIndex.all());
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> net.rnnTimeStep(step.dup()));
        assertTrue(e.getMessage().contains("go_backwards") && e.getMessage().contains("output()"), e.getMessage());
        // a forward model steps as it runs whole
        MultiLayerNetwork forward = KerasImporter.importSequential(fixture("k2_lstm_sequences.h5"));
        INDArray whole = forward.output(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 5), org.nd4j.linalg.indexing.NDArrayIndex.all())
                .dup());
        INDArray first = forward.rnnTimeStep(step.dup());
        assertEquals(whole.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1), org.nd4j.linalg.indexing.NDArrayIndex.all()),
                first);
    }

    /** The output may not be an input (the model would be destroyed), nor a device or pipe (it would be replaced). */
    @Test
    void theOutputIsNeverAnInputNorANonRegularFile() throws Exception {
        Path model = Files.copy(fixture("k2_lstm_sequences.h5"), dir.resolve("m.h5"));
        byte[] bytes = Files.readAllBytes(model);
        IOException e = assertThrows(IOException.class, () -> KerasImporter.importToFile(model, model));
        assertTrue(e.getMessage().contains("also the input"), e.getMessage());
        Path json = Files.copy(fixture("k2_json_weights.json"), dir.resolve("m.json"));
        Path weights = Files.copy(fixture("k2_json_weights.weights.h5"), dir.resolve("w.h5"));
        assertThrows(IOException.class, () -> KerasImporter.importToFile(json, weights,
                dir.resolve("sub/../w.h5")));
        assertArrayEquals(bytes, Files.readAllBytes(model));
        Path fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertEquals(0, p.waitFor(), "mkfifo");
        e = assertThrows(IOException.class, () -> KerasImporter.importToFile(model, fifo));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the pipe is still a pipe");
    }

    /** A copy of the JSON + weights fixture (a GRU with reset_after false, then a Dense) with its JSON edited. */
    private Path editedJson(String from, String to) throws IOException {
        String json = Files.readString(fixture("k2_json_weights.json"));
        assertTrue(json.contains(from), "the fixture has " + from);
        return Files.writeString(dir.resolve("edited.json"), json.replace(from, to));
    }

    @Test
    void optionsAreReadAsKerasWritesThemAndOtherwiseRefused() throws IOException {
        Path weights = fixture("k2_json_weights.weights.h5");
        // reset_after missing: Keras before the option computed reset_before, the fixture's form
        MultiLayerNetwork missing = KerasImporter.importSequential(editedJson(", \"reset_after\": false", ""),
                weights);
        assertClose(run(missing, "k2_json_weights"), "GRU without reset_after");
        // activation None is Keras' linear, not the default tanh
        MultiLayerNetwork linear = KerasImporter.importSequential(editedJson("\"activation\": \"tanh\"",
                "\"activation\": null"), weights);
        assertEquals(org.recurrent4j.cells.Nonlinearity.IDENTITY, ((org.recurrent4j.conf.RecurrentLayerConf)
                linear.getLayer(0).conf().getLayer()).cellActivation());
        // what Keras never writes is refused, naming the option, rather than guessed
        for (String[] edit : new String[][]{{"\"stateful\": false", "\"stateful\": \"True\""},
                {"\"go_backwards\": false", "\"go_backwards\": 1"}, {"\"units\": 3", "\"units\": 3.5"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KerasImporter.importSequential(editedJson(edit[0], edit[1]), weights), edit[1]);
            String option = edit[0].substring(1, edit[0].indexOf('"', 1));
            assertTrue(e.getMessage().contains("'" + option + "'"), e.getMessage());
        }
        // sizes in the configuration meet the file's weights before anything is allocated
        long t0 = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KerasImporter.importSequential(editedJson("\"units\": 3", "\"units\": 200000"), weights));
        assertTrue(e.getMessage().contains("has shape") && e.getMessage().contains("600000"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused in " + (System.nanoTime() - t0) / 1e9 + " s");
    }
}
