package org.recurrent4j.examples;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.TimeDistributed;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.RecurrentParamInitializer;

/**
 * The worked example of the article behind this project: an Elman RNN {@code h_t = U x_t + W h_{t-1}}, output
 * {@code y_t = V h_t}, every weight 1, no bias, identity activations, inputs [1,1], [1,1], [2,2].
 */
public final class SeedRnn {

    /** One step: input, the two terms of the hidden state, the hidden state and the output. */
    public record Step(double[] x, double[] ux, double[] wh, double[] h, double[] y) {
    }

    private SeedRnn() {
    }

    /** The network: ElmanRnn 2 -> 2 and a time-distributed dense output layer 2 -> 2, all weights 1, no bias. */
    public static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).list()
                .layer(new ElmanRnn.Builder().nIn(2).nOut(2).activation(Activation.IDENTITY).hasBias(false).build())
                .layer(new TimeDistributed(new DenseLayer.Builder().nIn(2).nOut(2).activation(Activation.IDENTITY)
                        .hasBias(false).build(), RNNFormat.NCW))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.params().assign(1.0);
        return net;
    }

    /** The article's inputs, {@code [1, 2, 3]}: batch 1, 2 features, 3 steps. */
    public static INDArray inputs() {
        return Nd4j.create(new double[][]{{1, 1, 2}, {1, 1, 2}}).reshape(1, 2, 3);
    }

    /** Runs the network and explains each step with the network's own weights. */
    public static List<Step> run(MultiLayerNetwork net, INDArray x) {
        List<INDArray> acts = net.feedForward(x, false);
        INDArray hidden = acts.get(1);
        INDArray out = acts.get(2);
        INDArray u = net.getLayer(0).getParam(RecurrentParamInitializer.WEIGHT_KEY);
        INDArray w = net.getLayer(0).getParam(RecurrentParamInitializer.RECURRENT_WEIGHT_KEY);
        List<Step> steps = new ArrayList<>();
        INDArray hPrev = Nd4j.zeros(DataType.DOUBLE, 1, hidden.size(1));
        for (int t = 0; t < x.size(2); t++) {
            INDArray xt = x.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t)).reshape(1, -1);
            INDArray ht = hidden.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t)).reshape(1, -1);
            INDArray yt = out.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.point(t)).reshape(1, -1);
            steps.add(new Step(xt.toDoubleVector(), xt.mmul(u).toDoubleVector(), hPrev.mmul(w).toDoubleVector(),
                    ht.toDoubleVector(), yt.toDoubleVector()));
            hPrev = ht;
        }
        return steps;
    }
}
