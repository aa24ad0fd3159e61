package org.recurrent4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.Lstm;
import org.recurrent4j.conf.Gru;

/** The layers inside DL4J's machinery: streaming, serialization, graphs, wrappers, TBPTT, training. */
class LayerIntegrationTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"rnn-tanh", "rnn-relu", "lstm", "gru", "gru-reset-before", "lstm-proj"})
    void rnnTimeStepStepByStepEqualsTheFullForwardPass(String cell) {
        MultiLayerNetwork net = Nets.net(cell, 4, 6, RNNFormat.NCW, false, DataType.FLOAT, 3);
        INDArray x = Nets.input(DataType.FLOAT, 2, 4, 7, RNNFormat.NCW, 5);
        INDArray full = net.output(x);
        net.rnnClearPreviousState();
        for (int t = 0; t < 7; t++) {
            INDArray step = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t)));
            INDArray expected = full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(t));
            assertTrue(expected.equalsWithEps(step, 1e-5), cell + " step " + t + ": " + step + " vs " + expected);
        }
        // in chunks of several steps, too
        net.rnnClearPreviousState();
        INDArray a = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 3)));
        INDArray b = net.rnnTimeStep(x.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 7)));
        assertTrue(full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(3, 7)).equalsWithEps(b, 1e-5));
        assertTrue(full.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, 3)).equalsWithEps(a, 1e-5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn-relu", "lstm", "gru-reset-before", "lstm-proj"})
    void jsonAndModelSerializerRoundTrip(String cell) throws Exception {
        MultiLayerNetwork net = Nets.net(cell, 4, 6, RNNFormat.NWC, true, DataType.FLOAT, 3);
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(net.getLayerWiseConfigurations(), back);

        File f = dir.resolve(cell + ".zip").toFile();
        ModelSerializer.writeModel(net, f, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(f);
        INDArray x = Nets.input(DataType.FLOAT, 2, 4, 5, RNNFormat.NWC, 9);
        assertEquals(net.params(), restored.params());
        assertTrue(net.output(x).equalsWithEps(restored.output(x), 1e-6));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "lstm-proj"})
    void gradientCheckInAComputationGraphWithEmbeddingsBidirectionalAndLastTimeStep(String cell) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("tokens")
                .addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(10).nOut(4).build(), "tokens")
                .addLayer("rnn", new Bidirectional(Nets.cell(cell).nOut(5).build()), "emb")
                .addLayer("last", new LastTimeStep(Nets.cell(cell).nOut(3).build()), "rnn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "last")
                .setOutputs("out")
                .setInputTypes(InputType.recurrent(10, 6))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray tokens = Nd4j.create(new double[][]{{1, 4, 2, 9, 0, 3}, {5, 5, 7, 1, 0, 0}}).reshape(2, 1, 6);
        INDArray labels = Nd4j.create(new double[][]{{1, 0}, {0, 1}});
        INDArray mask = Nets.mask(DataType.DOUBLE, 6, 6, 4);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                .inputs(new INDArray[]{tokens}).labels(new INDArray[]{labels}).inputMask(new INDArray[]{mask})
                .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8).print(GradientCheckUtil.PrintMode.FAILURES_ONLY));
        assertTrue(ok);
    }

    @org.junit.jupiter.api.Test
    void theReadmeExampleBuildsWithInferredSizesAndTrains() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .updater(new Adam(1e-3))
                .list()
                .layer(new Bidirectional(new org.recurrent4j.conf.Lstm.Builder().nIn(100).nOut(128).build()))
                .layer(new Gru.Builder().nOut(128).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nOut(9).build())
                .setInputType(InputType.recurrent(100))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertEquals(256, ((org.recurrent4j.conf.RecurrentLayerConf) net.getLayer(1).conf().getLayer()).getNIn());
        INDArray x = Nets.input(DataType.FLOAT, 4, 100, 7, RNNFormat.NCW, 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 4, 9, 7);
        y.get(NDArrayIndex.all(), NDArrayIndex.point(2), NDArrayIndex.all()).assign(1);
        DataSet ds = new DataSet(x, y);
        double before = net.score(ds);
        for (int i = 0; i < 20; i++) {
            net.fit(ds);
        }
        assertTrue(net.score(ds) < before, "the loss did not fall");
        assertArrayEquals(new long[]{4, 9, 7}, net.output(x).shape());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Bidirectional.Mode.class)
    void gradientCheckInEveryBidirectionalMode(Bidirectional.Mode mode) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).list()
                .layer(new Bidirectional(mode, new Gru.Builder().nIn(3).nOut(4).build()))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(mode == Bidirectional.Mode.CONCAT ? 8 : 4).nOut(Nets.CLASSES).dataFormat(RNNFormat.NCW)
                        .build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray x = Nets.input(DataType.DOUBLE, 2, 3, 5, RNNFormat.NCW, 4);
        INDArray y = Nets.labels(DataType.DOUBLE, 2, 5, RNNFormat.NCW, 6);
        INDArray mask = Nets.mask(DataType.DOUBLE, 5, 5, 3);
        assertTrue(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                .inputMask(mask).labelMask(mask).epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)), mode.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru", "rnn-tanh", "lstm-proj"})
    void trainsWithTruncatedBpttAndAdam(String cell) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        // learn to output the input's sign one step late: needs the recurrent state
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.02))
                .weightInit(WeightInit.XAVIER).list()
                .layer(Nets.cell(cell).nIn(1).nOut(16).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(Nets.outputSize(cell, 16)).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(10).tBPTTBackwardLength(10)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        java.util.Random r = new java.util.Random(3);
        int batch = 16;
        int steps = 40;
        INDArray x = Nd4j.zeros(DataType.FLOAT, batch, 1, steps);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 2, steps);
        for (int b = 0; b < batch; b++) {
            int prev = 0;
            for (int t = 0; t < steps; t++) {
                int bit = r.nextBoolean() ? 1 : 0;
                x.putScalar(b, 0, t, bit == 1 ? 1 : -1);
                y.putScalar(b, prev, t, 1);
                prev = bit;
            }
        }
        DataSet ds = new DataSet(x, y);
        double before = net.score(ds);
        for (int i = 0; i < 150; i++) {
            net.fit(ds);
        }
        double after = net.score(ds);
        assertTrue(after < 0.1 * before, cell + ": loss " + before + " -> " + after);
    }

    @Test
    void aProjectionMustBePositiveAndSmallerThanTheState() {
        String big = assertThrows(IllegalArgumentException.class,
                () -> new Lstm.Builder().nIn(3).nOut(4).projectionSize(4).build()).getMessage();
        assertTrue(big.contains("projectionSize 4 must be smaller than nOut 4"), big);
        String negative = assertThrows(IllegalArgumentException.class,
                () -> new Lstm.Builder().nIn(3).nOut(4).projectionSize(-1).build()).getMessage();
        assertTrue(negative.contains("projectionSize must be positive"), negative);
        // a setter or an edited JSON does not pass through the builder: the network refuses it when built
        Lstm bypass = new Lstm.Builder().nIn(3).nOut(4).build();
        bypass.setProjectionSize(6);
        String late = assertThrows(IllegalArgumentException.class, () -> {
            MultiLayerNetwork n = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list().layer(bypass)
                    .layer(new RnnOutputLayer.Builder().nIn(6).nOut(2).activation(Activation.SOFTMAX).build()).build());
            n.init();
        }).getMessage();
        assertTrue(late.contains("projectionSize 6 must be smaller than nOut 4"), late);
        Lstm l = new Lstm.Builder().nIn(3).nOut(4).projectionSize(3).bidirectional(true).build();
        assertEquals(6, l.outputSize());
        assertEquals(6, ((org.deeplearning4j.nn.conf.inputs.InputType.InputTypeRecurrent)
                l.getOutputType(0, org.deeplearning4j.nn.conf.inputs.InputType.recurrent(3, 5))).getSize());
    }

    @Test
    void aStoredStateOfTheWrongShapeIsNamed() {
        MultiLayerNetwork net = Nets.net("lstm-proj", 4, 6, RNNFormat.NCW, false, DataType.FLOAT, 3);
        INDArray x = Nets.input(DataType.FLOAT, 2, 4, 3, RNNFormat.NCW, 5);
        net.rnnTimeStep(x);
        java.util.Map<String, INDArray> state = net.rnnGetPreviousState(0);
        assertArrayEquals(new long[]{2, Nets.PROJECTION}, state.get("h").shape());
        assertArrayEquals(new long[]{2, 6}, state.get("c").shape());
        state.put("h", Nd4j.zeros(DataType.FLOAT, 2, 6));   // nOut where the projection's size belongs
        net.rnnSetPreviousState(0, state);
        String msg = assertThrows(IllegalStateException.class, () -> net.rnnTimeStep(x)).getMessage();
        assertTrue(msg.contains("stored state 'h' must be [2, 2]") && msg.contains("got [2, 6]"), msg);
    }
}
