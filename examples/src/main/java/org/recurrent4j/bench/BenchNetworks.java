package org.recurrent4j.bench;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.Lstm;

/** The two networks a benchmark compares: recurrent4j's layers and DL4J's built-in counterpart. */
public final class BenchNetworks {

    private BenchNetworks() {
    }

    /** True where DL4J has a built-in layer for the cell (LSTM, SimpleRnn; it has no GRU). */
    public static boolean dl4jHas(String cell) {
        return !cell.equals("gru");
    }

    public static MultiLayerNetwork build(BenchConfig c, boolean dl4j) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(42)
                .dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER).list();
        for (int l = 0; l < c.layers(); l++) {
            Layer layer = dl4j ? dl4jLayer(c) : ours(c);
            list.layer(c.bidirectional() ? new Bidirectional(Bidirectional.Mode.CONCAT, layer) : layer);
        }
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                .nOut(BenchConfig.CLASSES).build());
        list.setInputType(InputType.recurrent(c.input()));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    private static Layer ours(BenchConfig c) {
        return switch (c.cell()) {
            case "lstm" -> new Lstm.Builder().nOut(c.hidden()).build();
            case "gru" -> new Gru.Builder().nOut(c.hidden()).build();
            default -> new ElmanRnn.Builder().nOut(c.hidden()).activation(Activation.TANH).build();
        };
    }

    private static Layer dl4jLayer(BenchConfig c) {
        return switch (c.cell()) {
            case "lstm" -> new LSTM.Builder().nOut(c.hidden()).activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID).build();
            case "rnn" -> new SimpleRnn.Builder().nOut(c.hidden()).activation(Activation.TANH).build();
            default -> throw new IllegalArgumentException("DL4J has no built-in " + c.cell() + " layer");
        };
    }
}
