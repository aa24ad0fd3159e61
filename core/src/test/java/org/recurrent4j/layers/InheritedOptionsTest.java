package org.recurrent4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.layers.LayerConstraint;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.constraint.NonNegativeConstraint;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.recurrent4j.cells.Nonlinearity;
import org.recurrent4j.conf.CharCnn;
import org.recurrent4j.conf.CrfOutputLayer;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.Lstm;

/**
 * Options the layers inherit from DL4J's builders: honoured (constraints, bias initialisation) or refused when the
 * layer is built, with a message naming the option (activations the cell does not apply, layer-norm gain).
 */
class InheritedOptionsTest {

    private static void refused(String option, Supplier<Layer> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(option), e.getMessage());
    }

    @Test
    void activationsTheCellsDoNotApplyAreRefused() {
        refused("activation(softmax)", () -> new Lstm.Builder().nIn(3).nOut(4).activation(Activation.SOFTMAX).build());
        refused("activation(leakyrelu", () -> new Gru.Builder().nIn(3).nOut(4).activation(Activation.LEAKYRELU)
                .build());
        refused("activation(softmax)", () -> new ElmanRnn.Builder().nIn(3).nOut(4).activation(Activation.SOFTMAX)
                .build());
        refused("gateActivation(HARD_SIGMOID)", () -> new ElmanRnn.Builder().nIn(3).nOut(4)
                .gateActivation(Nonlinearity.HARD_SIGMOID).build());
        refused("activation(relu)", () -> new CharCnn.Builder().nIn(9).nOut(4).activation(Activation.RELU).build());
        refused("activation(softmax)", () -> new CrfOutputLayer.Builder().nIn(3).nOut(4)
                .activation(Activation.SOFTMAX).build());
        // what the cells do apply is accepted
        new Lstm.Builder().nIn(3).nOut(4).activation(Activation.TANH).build();
        new Gru.Builder().nIn(3).nOut(4).activation(Activation.TANH).build();
        // and the functions Keras offers, by DL4J's activation or by the cells' own names
        assertEquals(Nonlinearity.RELU, new Lstm.Builder().nIn(3).nOut(4).activation(Activation.RELU).build()
                .cellActivation());
        assertEquals(Nonlinearity.HARD_SIGMOID_KERAS2, new Gru.Builder().nIn(3).nOut(4)
                .activation(Activation.HARDSIGMOID).build().cellActivation());
        Lstm keras3 = new Lstm.Builder().nIn(3).nOut(4).activation(Activation.RELU).activation(Nonlinearity.IDENTITY)
                .gateActivation(Nonlinearity.HARD_SIGMOID).build();
        assertEquals("LSTM (activation linear, gates hard_sigmoid (Keras 3))", keras3.cell().name());
        assertEquals(Nonlinearity.TANH, new ElmanRnn.Builder().nIn(3).nOut(4).activation(Nonlinearity.RELU)
                .activation(Activation.TANH).build().cellActivation(), "the last call counts");
        new CrfOutputLayer.Builder().nIn(3).nOut(4).activation(Activation.IDENTITY).build();
    }

    @Test
    void noiseACharacterCnnWouldNotApplyIsRefusedFromTheLayerOrTheNetwork() {
        refused("weightNoise", () -> new CharCnn.Builder().nIn(9).nOut(4)
                .weightNoise(new org.deeplearning4j.nn.conf.weightnoise.DropConnect(0.5)).build());
        refused("dropOut", () -> new CharCnn.Builder().nIn(9).nOut(4).dropOut(0.5).build());
        refused("charDropout", () -> new CharCnn.Builder().nIn(9).nOut(4).charDropout(Double.NaN).build());
        // a network-wide dropOut reaches the layer after build(): refused when the network is made
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dropOut(0.5).list()
                .layer(new CharCnn.Builder().nIn(9).nOut(4).build())
                .layer(new CrfOutputLayer.Builder().nIn(4).nOut(2).build()).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, net::init);
        assertTrue(e.getMessage().contains("CharCnn: dropOut"), e.getMessage());
    }

    @Test
    void aHalfPrecisionNetworkIsRefusedWhenItIsMade() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.HALF)
                .list().layer(new Lstm.Builder().nIn(3).nOut(4).build())
                .layer(new CrfOutputLayer.Builder().nIn(4).nOut(2).build()).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, net::init);
        assertTrue(e.getMessage().contains("float or double, not HALF"), e.getMessage());
    }

    @Test
    void crfLabelsMustBeOneHot() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE)
                .list().layer(new CrfOutputLayer.Builder().nIn(3).nOut(2).build()).build());
        net.init();
        INDArray x = Nets.input(DataType.DOUBLE, 1, 3, 2, RNNFormat.NCW, 1);
        for (double[][] bad : new double[][][]{{{1, 0}, {1, 1}}, {{0.5, 1}, {0.5, 0}}, {{2, 1}, {0, 0}}}) {
            INDArray y = org.nd4j.linalg.factory.Nd4j.create(bad).reshape(1, 2, 2);
            net.setInput(x);
            net.setLabels(y);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, net::computeGradientAndScore);
            assertTrue(e.getMessage().contains("not one-hot"), e.getMessage());
        }
    }

    @Test
    void layerNormGainIsRefused() {
        refused("gainInit", () -> new Lstm.Builder().nIn(3).nOut(4).gainInit(2.0).build());
        refused("gainInit", () -> new CharCnn.Builder().nIn(9).nOut(4).gainInit(2.0).build());
        refused("gainInit", () -> new CrfOutputLayer.Builder().nIn(3).nOut(4).gainInit(2.0).build());
    }

    @Test
    void biasInitialisationIsHonouredByTheCrfAndTheCharacterCnn() {
        MultiLayerNetwork crf = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new CrfOutputLayer.Builder().nIn(3).nOut(4).biasInit(0.25).build()).build());
        crf.init();
        assertEquals(0.25, crf.getLayer(0).getParam("b").minNumber().doubleValue(), 0.0);
        assertEquals(0.0, crf.getLayer(0).getParam("T").maxNumber().doubleValue(), 0.0, "transitions start at 0");
        MultiLayerNetwork cnn = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new CharCnn.Builder().nIn(9).nOut(4).biasInit(-0.5).build())
                .layer(new CrfOutputLayer.Builder().nIn(4).nOut(2).build()).build());
        cnn.init();
        assertEquals(-0.5, cnn.getLayer(0).getParam("b").maxNumber().doubleValue(), 0.0);
    }

    /** A bidirectional LSTM and a CRF trained a few steps with a large rate, so that unconstrained weights go negative. */
    private static Map<String, INDArray> trained(LayerConstraint recurrent, LayerConstraint input,
                                                 LayerConstraint crfWeights) {
        Lstm.Builder lstm = new Lstm.Builder().nIn(3).nOut(4).bidirectional(true).dataFormat(RNNFormat.NCW);
        if (recurrent != null) {
            lstm.constrainRecurrent(recurrent);
        }
        if (input != null) {
            lstm.constrainInputWeights(input);
        }
        CrfOutputLayer.Builder crf = new CrfOutputLayer.Builder().nOut(Nets.CLASSES);
        if (crfWeights != null) {
            crf.constrainWeights(crfWeights);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.5)).weightInit(WeightInit.XAVIER).list()
                .layer(lstm.build()).layer(crf.build()).setInputType(InputType.recurrent(3)).build());
        net.init();
        INDArray x = Nets.input(DataType.DOUBLE, 4, 3, 5, RNNFormat.NCW, 2);
        INDArray y = Nets.labels(DataType.DOUBLE, 4, 5, RNNFormat.NCW, 3);
        for (int i = 0; i < 3; i++) {
            net.fit(x, y);
        }
        Map<String, INDArray> p = new java.util.HashMap<>();
        net.getLayer(0).paramTable().forEach((k, v) -> p.put(k, v.dup()));
        net.getLayer(1).paramTable().forEach((k, v) -> p.put("crf" + k, v.dup()));
        return p;
    }

    private static double min(Map<String, INDArray> p, String key) {
        return p.get(key).minNumber().doubleValue();
    }

    @Test
    void constraintsReachBothDirectionsAndOnlyTheParametersTheyName() {
        Map<String, INDArray> free = trained(null, null, null);
        assertTrue(min(free, "RW") < 0 && min(free, "RWReverse") < 0 && min(free, "W") < 0
                && min(free, "WReverse") < 0 && min(free, "crfW") < 0, "unconstrained weights go negative");

        Map<String, INDArray> rec = trained(new NonNegativeConstraint(), null, null);
        assertTrue(min(rec, "RW") >= 0 && min(rec, "RWReverse") >= 0, "constrainRecurrent: both directions");
        assertTrue(min(rec, "W") < 0 && min(rec, "WReverse") < 0, "constrainRecurrent leaves the input weights");

        Map<String, INDArray> in = trained(null, new NonNegativeConstraint(), null);
        assertTrue(min(in, "W") >= 0 && min(in, "WReverse") >= 0, "constrainInputWeights: both directions");
        assertTrue(min(in, "RW") < 0, "constrainInputWeights leaves the recurrent weights");

        Map<String, INDArray> crf = trained(null, null, new NonNegativeConstraint());
        assertTrue(min(crf, "crfW") >= 0, "CrfOutputLayer constrainWeights");
        assertTrue(min(crf, "RW") < 0, "the LSTM is not constrained by the CRF's constraint");
    }
}
