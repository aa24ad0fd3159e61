package org.recurrent4j.tagging;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.CharCnn;
import org.recurrent4j.conf.CrfOutputLayer;
import org.recurrent4j.conf.FeatureConcatVertex;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.Lstm;
import org.recurrent4j.conf.RecurrentLayerConf;

/**
 * The tagger's network, in NCRF++'s three parts (Yang &amp; Zhang 2018): a word representation (word embeddings,
 * plus pretrained vectors where there are any, a character CNN, affix and casing embeddings, concatenated), a sequence
 * encoder (one or two recurrent layers, uni- or bidirectional), and an inference layer (a CRF, or a softmax per
 * step).
 */
public final class TaggerNetwork {

    /** The name of the word embedding layer. */
    public static final String WORD_EMBEDDING = "words-emb";
    /** The name of the output layer. */
    public static final String OUTPUT = "tags";

    private TaggerNetwork() {
    }

    public static ComputationGraph build(TaggerConfig c, Features f) {
        NeuralNetConfiguration.Builder nb = new NeuralNetConfiguration.Builder()
                .seed(c.seed).dataType(DataType.FLOAT).updater(new Nadam(c.learningRate))
                .weightInit(WeightInit.XAVIER);
        if (c.gradientClip > 0) {
            nb.gradientNormalization(GradientNormalization.ClipL2PerLayer)
                    .gradientNormalizationThreshold(c.gradientClip);
        }
        ComputationGraphConfiguration.GraphBuilder g = nb.graphBuilder();
        List<String> inputs = f.inputs();
        g.addInputs(inputs.toArray(new String[0]));
        List<String> parts = new ArrayList<>();
        int width = 0;
        for (String in : inputs) {
            switch (in) {
                case "vectors" -> {
                    // the pretrained vector plus the trained correction of training words
                    g.addVertex("word", new ElementWiseVertex(ElementWiseVertex.Op.Add), WORD_EMBEDDING, "vectors");
                    parts.set(parts.indexOf(WORD_EMBEDDING), "word");
                }
                case "chars" -> {
                    g.addLayer("chars-cnn", new CharCnn.Builder().nIn(f.inputSize("chars")).charDim(c.charDim)
                            .nOut(c.charFilters).width(c.charWidth).charDropout(c.dropout).build(), "chars");
                    parts.add("chars-cnn");
                    width += c.charFilters;
                }
                default -> {
                    int dim = in.equals("words") ? c.wordDim : in.equals("casing") ? c.casingDim : c.affixDim;
                    String name = in.equals("words") ? WORD_EMBEDDING : in + "-emb";
                    g.addLayer(name, new EmbeddingSequenceLayer.Builder().nIn(f.inputSize(in)).nOut(dim)
                            .outputDataFormat(RNNFormat.NCW).build(), in);
                    parts.add(name);
                    width += dim;
                }
            }
        }
        String last = "features";
        g.addVertex(last, new FeatureConcatVertex(), parts.toArray(new String[0]));
        for (int l = 0; l < c.layers; l++) {
            RecurrentLayerConf.Builder<?> b = switch (c.cell) {
                case "lstm" -> new Lstm.Builder();
                case "gru" -> new Gru.Builder();
                default -> new ElmanRnn.Builder().activation(Activation.TANH);
            };
            b.nIn(width).nOut(c.hidden).dataFormat(RNNFormat.NCW).bidirectional(c.bidirectional);
            if (c.dropout > 0) {
                b.dropOut(1.0 - c.dropout);   // DL4J's dropOut takes the probability of keeping an activation
            }
            Layer rnn = b.build();
            String name = "rnn" + (l + 1);
            g.addLayer(name, rnn, last);
            last = name;
            width = c.bidirectional ? 2 * c.hidden : c.hidden;
        }
        int k = f.tags().size();
        Layer out;
        if (c.output.equals("crf")) {
            CrfOutputLayer.Builder crf = new CrfOutputLayer.Builder().nIn(width).nOut(k);
            TagScheme.Constraints rules = c.tokenLevel ? null : TagScheme.parse(c.scheme).constraints(f.tags());
            if (rules != null) {
                crf.allowedTransitions(rules.transitions(), rules.start(), rules.end());
            }
            if (c.dropout > 0) {
                crf.dropOut(1.0 - c.dropout);
            }
            out = crf.build();
        } else {
            RnnOutputLayer.Builder soft = new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .activation(Activation.SOFTMAX).nIn(width).nOut(k).dataFormat(RNNFormat.NCW);
            if (c.dropout > 0) {
                soft.dropOut(1.0 - c.dropout);
            }
            out = soft.build();
        }
        g.addLayer(OUTPUT, out, last);
        g.setOutputs(OUTPUT);
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        if (f.vectors() != null) {
            initialiseCorrections(net, f);
        }
        return net;
    }

    /**
     * The word embeddings hold corrections to the pretrained vectors: 0 for words the vectors have (so they start as
     * their pretrained vector), and uniform in {@code +-sqrt(3 / dim)} for the others (Ma &amp; Hovy's initialisation
     * of words without a vector). Row 0 (padding) is 0.
     *
     * @return how many training words have a pretrained vector
     */
    static int initialiseCorrections(ComputationGraph net, Features f) {
        INDArray w = net.getLayer(WORD_EMBEDDING).getParam("W");
        int dim = (int) w.size(1);
        double r = Math.sqrt(3.0 / dim);
        w.assign(Nd4j.rand(w.dataType(), w.shape()).muli(2 * r).subi(r));
        w.getRow(0).assign(0);
        int found = 0;
        List<String> words = f.words().entries();
        for (int i = 2; i < words.size(); i++) {
            if (f.vectors().contains(words.get(i))) {
                w.getRow(i).assign(0);
                found++;
            }
        }
        return found;
    }
}
