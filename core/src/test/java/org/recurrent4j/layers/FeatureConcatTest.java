package org.recurrent4j.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.FeatureConcatVertex;

/**
 * {@link FeatureConcatVertex} against DL4J's {@link MergeVertex} in the same graph: the same activations, gradients
 * and score, with inputs in the layouts a tagger gives it (an embedding's permuted output, a dense input, a
 * recurrent layer's output), and the same configuration after a JSON round trip.
 */
class FeatureConcatTest {

    static ComputationGraph graph(GraphVertex merge, DataType dt) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(4).dataType(dt)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER).graphBuilder()
                .addInputs("ids", "dense")
                .addLayer("emb", new EmbeddingSequenceLayer.Builder().nIn(9).nOut(3).build(), "ids")
                .addLayer("rnn", Nets.cell("gru").nIn(2).nOut(4).build(), "dense")
                .addVertex("merge", merge, "emb", "dense", "rnn")
                .addLayer("out", new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(9).nOut(Nets.CLASSES)
                        .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NCW).build(), "merge")
                .setOutputs("out")
                .build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void sameActivationsGradientsAndScoreAsDl4jsMergeVertex() {
        for (DataType dt : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            ComputationGraph ours = graph(new FeatureConcatVertex(), dt);
            ComputationGraph theirs = graph(new MergeVertex(), dt);
            theirs.setParams(ours.params().dup());
            Nd4j.getRandom().setSeed(3);
            INDArray ids = Nd4j.create(new double[]{1, 4, 8, 2, 0, 3, 3, 7, 5, 6, 1, 2}, new long[]{3, 1, 4})
                    .castTo(dt);
            INDArray dense = Nd4j.rand(dt, 3, 2, 4).subi(0.5);
            INDArray labels = Nets.labels(dt, 3, 4, org.deeplearning4j.nn.conf.RNNFormat.NCW, 2);
            INDArray mask = Nets.mask(dt, 4, 4, 2, 3);
            INDArray[] in = {ids, dense};
            INDArray[] masks = {mask, mask};
            assertEquals(theirs.feedForward(in, false).get("merge"), ours.feedForward(in, false).get("merge"),
                    dt + " merged activations");
            assertEquals(theirs.output(false, in, masks)[0], ours.output(false, in, masks)[0], dt + " output");
            org.nd4j.linalg.dataset.MultiDataSet data = new org.nd4j.linalg.dataset.MultiDataSet(in,
                    new INDArray[]{labels}, masks, new INDArray[]{mask});
            theirs.setInputs(in);
            ours.setInputs(in);
            theirs.setLabels(labels);
            ours.setLabels(labels);
            theirs.setLayerMaskArrays(masks, new INDArray[]{mask});
            ours.setLayerMaskArrays(masks, new INDArray[]{mask});
            theirs.computeGradientAndScore();
            ours.computeGradientAndScore();
            assertEquals(theirs.score(), ours.score(), 0.0, dt + " score");
            assertEquals(theirs.gradient().gradient(), ours.gradient().gradient(), dt + " gradients");
            assertTrue(ours.gradient().gradient().norm2Number().doubleValue() > 0, "gradients flow back");
            assertEquals(theirs.score(data), ours.score(data), 0.0);
        }
    }

    @Test
    void jsonRoundTripKeepsTheVertex() {
        ComputationGraph g = graph(new FeatureConcatVertex(), DataType.FLOAT);
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(g.getConfiguration().toJson());
        assertEquals(FeatureConcatVertex.class, back.getVertices().get("merge").getClass());
        assertEquals(g.getConfiguration(), back);
        assertEquals(FeatureConcatVertex.class, g.getConfiguration().clone().getVertices().get("merge").getClass());
    }
}
