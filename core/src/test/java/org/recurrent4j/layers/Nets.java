package org.recurrent4j.layers;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.cells.Nonlinearity;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.Lstm;
import org.recurrent4j.conf.RecurrentLayerConf;

/** Small networks and data for the layer tests. */
final class Nets {

    static final int CLASSES = 3;
    /** The projection size of the "lstm-proj" cell: its layers need nOut above it. */
    static final int PROJECTION = 2;

    /** The features one direction of a {@link #cell} layer outputs. */
    static int outputSize(String cell, int hidden) {
        return cell.equals("lstm-proj") ? PROJECTION : hidden;
    }

    private Nets() {
    }

    /** The cells under test, by name. */
    static RecurrentLayerConf.Builder<?> cell(String name) {
        return switch (name) {
            case "rnn-tanh" -> new ElmanRnn.Builder().activation(Activation.TANH);
            case "rnn-identity" -> new ElmanRnn.Builder().activation(Activation.IDENTITY);
            case "rnn-relu" -> new ElmanRnn.Builder().activation(Activation.RELU);
            case "lstm" -> new Lstm.Builder();
            case "lstm-proj" -> new Lstm.Builder().projectionSize(PROJECTION);
            case "gru" -> new Gru.Builder();
            case "gru-reset-before" -> new Gru.Builder().resetAfter(false);
            // Keras' other functions
            case "rnn-sigmoid" -> new ElmanRnn.Builder().activation(Nonlinearity.SIGMOID);
            case "lstm-relu-hard-sigmoid" -> new Lstm.Builder().activation(Nonlinearity.RELU)
                    .gateActivation(Nonlinearity.HARD_SIGMOID_KERAS2);
            case "gru-reset-before-linear-hard-sigmoid" -> new Gru.Builder().resetAfter(false)
                    .activation(Nonlinearity.IDENTITY).gateActivation(Nonlinearity.HARD_SIGMOID);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Layer recurrent(String cell, int nIn, int hidden, RNNFormat format, boolean bidirectional) {
        Layer l = cell(cell).nIn(nIn).nOut(hidden).dataFormat(format).build();
        return bidirectional ? new Bidirectional(Bidirectional.Mode.CONCAT, l) : l;
    }

    static MultiLayerNetwork net(String cell, int nIn, int hidden, RNNFormat format, boolean bidirectional,
                                 DataType dt, long seed) {
        int outIn = (bidirectional ? 2 : 1) * outputSize(cell, hidden);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(dt).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(recurrent(cell, nIn, hidden, format, bidirectional))
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(outIn).nOut(CLASSES).dataFormat(format).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // non-zero biases everywhere, so that bias gradients are exercised
        net.getLayer(0).paramTable().forEach((k, v) -> {
            if (k.contains("b") || k.contains("RB")) {
                v.assign(Nd4j.rand(dt, v.shape()).subi(0.5));
            }
        });
        return net;
    }

    static INDArray input(DataType dt, int batch, int nIn, int steps, RNNFormat format, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.rand(dt, batch, nIn, steps).subi(0.5).muli(2);
        return format == RNNFormat.NWC ? x.permute(0, 2, 1).dup() : x;
    }

    static INDArray labels(DataType dt, int batch, int steps, RNNFormat format, long seed) {
        java.util.Random r = new java.util.Random(seed);
        INDArray y = Nd4j.zeros(dt, batch, CLASSES, steps);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                y.putScalar(new long[]{b, r.nextInt(CLASSES), t}, 1.0);
            }
        }
        return format == RNNFormat.NWC ? y.permute(0, 2, 1).dup() : y;
    }

    /** A right-padded mask: sequence b has {@code lengths[b]} live steps. */
    static INDArray mask(DataType dt, int steps, int... lengths) {
        INDArray m = Nd4j.zeros(dt, lengths.length, steps);
        for (int b = 0; b < lengths.length; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                m.putScalar(b, t, 1.0);
            }
        }
        return m;
    }
}
