package org.recurrent4j.tagging;

import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.Lstm;
import org.recurrent4j.conf.RecurrentLayerConf;

/**
 * The tagger's network: an embedding per input (words, prefixes, suffixes, casing), concatenated, then one or two
 * recurrent layers (uni- or bidirectional), then a softmax over the tags at every step.
 */
public final class TaggerNetwork {

    /** The name of the word embedding layer. */
    public static final String WORD_EMBEDDING = "words-emb";

    private TaggerNetwork() {
    }

    public static ComputationGraph build(TaggerConfig c, Features f) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(c.seed).dataType(DataType.FLOAT).updater(new Adam(c.learningRate))
                .weightInit(WeightInit.XAVIER).graphBuilder();
        List<String> inputs = f.inputs();
        g.addInputs(inputs.toArray(new String[0]));
        String[] embedded = new String[inputs.size()];
        int width = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String in = inputs.get(i);
            int dim = in.equals("words") ? c.wordDim : in.equals("casing") ? c.casingDim : c.affixDim;
            embedded[i] = in + "-emb";
            width += dim;
            g.addLayer(embedded[i], new EmbeddingSequenceLayer.Builder().nIn(f.inputSize(in)).nOut(dim)
                    .outputDataFormat(RNNFormat.NCW).build(), in);
        }
        String last = "features";
        g.addVertex(last, new MergeVertex(), embedded);
        for (int l = 0; l < c.layers; l++) {
            RecurrentLayerConf.Builder<?> b = switch (c.cell) {
                case "lstm" -> new Lstm.Builder();
                case "gru" -> new Gru.Builder();
                default -> new ElmanRnn.Builder().activation(Activation.TANH);
            };
            b.nIn(width).nOut(c.hidden).dataFormat(RNNFormat.NCW);
            if (c.dropout > 0) {
                b.dropOut(1.0 - c.dropout);   // DL4J's dropOut takes the probability of keeping an activation
            }
            Layer rnn = b.build();
            String name = "rnn" + (l + 1);
            g.addLayer(name, c.bidirectional ? new Bidirectional(Bidirectional.Mode.CONCAT, rnn) : rnn, last);
            last = name;
            width = c.bidirectional ? 2 * c.hidden : c.hidden;
        }
        RnnOutputLayer.Builder out = new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX).nIn(width).nOut(f.tags().size()).dataFormat(RNNFormat.NCW);
        if (c.dropout > 0) {
            out.dropOut(1.0 - c.dropout);
        }
        g.addLayer("tags", out.build(), last);
        g.setOutputs("tags");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        return net;
    }
}
