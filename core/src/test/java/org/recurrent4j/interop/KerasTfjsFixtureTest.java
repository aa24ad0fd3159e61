package org.recurrent4j.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Models built and run by TensorFlow.js (tfjs-layers 4.22, an implementation of Keras' layers independent of both
 * Keras and recurrent4j): their topology exactly as tfjs serializes it, in Keras' JSON with every training option
 * (initializers, regularizers, constraints, dropout, implementation, unroll), their weights, and tfjs'
 * {@code model.predict} as the expected output (core/src/test/resources/keras/tfjs_*, written by
 * tools/make_tfjs_keras_fixtures.js and tools/tfjs_to_keras_h5.py in Keras 2's {@code model.save("m.h5")} layout).
 * Each is imported, run on its input with the padding mask Keras derives, against tfjs' output, to a relative error
 * below 1e-4 in float, as {@link KerasImporterTest} measures it.
 */
class KerasTfjsFixtureTest {

    static Stream<String> models() throws IOException {
        try (Stream<Path> files = Files.list(KerasImporterTest.fixture("tfjs_lstm_sequences.npz").getParent())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("tfjs_") && n.endsWith(".h5"))
                    .sorted().toList().stream();
        }
    }

    @Test
    void everyCaptureIsHere() throws IOException {
        assertEquals(8, models().count(), "tfjs_*.h5 fixtures: run tools/make_tfjs_keras_fixtures.js and "
                + "tools/tfjs_to_keras_h5.py");
    }

    @ParameterizedTest
    @MethodSource("models")
    void importedModelsReturnWhatTfjsReturns(String file, TestReporter reporter) throws IOException {
        String base = file.substring(0, file.lastIndexOf('.'));
        Path path = KerasImporterTest.fixture(file);
        MultiLayerNetwork net = KerasImporter.importSequential(path);
        KerasImporterTest.Run r = KerasImporterTest.run(net, base);
        if (r.expectedMask() == null) {
            assertNull(r.mask(), file + ": a model without Embedding(mask_zero) or Masking derives no mask");
        } else {
            assertEquals(r.expectedMask().castTo(DataType.FLOAT), r.mask(), file + ": the mask Keras derives");
        }
        reporter.publishEntry(file, "relative error " + relativeError(r.expected(), r.actual(), null));
        KerasImporterTest.assertClose(r, file);
        KerasImporterTest.assertClose(KerasImporterTest.run(KerasImporter.importFunctional(path), base),
                file + " as a ComputationGraph");
    }

    /**
     * tfjs' Bidirectional(return_sequences) outputs at a padded step what a lone RNN layer does (the step before's
     * output); Keras' makes both directions output zeros there ({@code zero_output_for_mask}), and so does the
     * importer. The fixture holds both outputs: tfjs' ({@code y}) and Keras' equations' ({@code y_keras}).
     */
    @Test
    void paddedBidirectionalSequencesFollowKerasWhereTfjsDiffers(TestReporter reporter) throws IOException {
        String base = "tfjs_bidirectional_gru_concat_padded_sequences";
        MultiLayerNetwork net = KerasImporter.importSequential(KerasImporterTest.fixture(base + ".hdf5"));
        KerasImporterTest.Run r = KerasImporterTest.run(net, base);
        Map<String, INDArray> data = Npz.read(KerasImporterTest.fixture(base + ".npz"));
        INDArray mask = data.get("mask");
        assertEquals(mask.castTo(DataType.FLOAT), r.mask(), "the mask Keras derives");
        double real = relativeError(r.expected(), r.actual(), mask);
        reporter.publishEntry(base, "relative error on real steps " + real);
        assertTrue(real < 1e-4, "against tfjs on the real steps: relative error " + real);
        KerasImporterTest.Run keras = new KerasImporterTest.Run(data.get("y_keras"), r.actual(), r.mask(), mask);
        KerasImporterTest.assertClose(keras, base + " against Keras' equations at every step");
        // the fixture does exercise the difference: tfjs and Keras disagree at the padded steps
        assertTrue(relativeError(data.get("y_keras"), r.expected(), null) > 1e-3, "tfjs' y equals Keras'");
    }

    /** KerasImporterTest's measure, max |actual - expected| / max |expected|, over the steps where mask is 1. */
    static double relativeError(INDArray expected, INDArray actual, INDArray mask) {
        assertArrayEquals(expected.shape(), actual.shape(), "shape");
        INDArray e = expected.castTo(DataType.DOUBLE);
        INDArray a = actual.castTo(DataType.DOUBLE);
        if (mask == null) {
            return a.sub(e).amaxNumber().doubleValue() / e.amaxNumber().doubleValue();
        }
        double diff = 0;
        double scale = 0;
        for (long b = 0; b < e.size(0); b++) {
            for (long t = 0; t < e.size(1); t++) {
                if (mask.getDouble(b, t) == 0) {
                    continue;
                }
                for (long c = 0; c < e.size(2); c++) {
                    diff = Math.max(diff, Math.abs(a.getDouble(b, t, c) - e.getDouble(b, t, c)));
                    scale = Math.max(scale, Math.abs(e.getDouble(b, t, c)));
                }
            }
        }
        return diff / scale;
    }
}
