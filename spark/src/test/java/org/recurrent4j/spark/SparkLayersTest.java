package org.recurrent4j.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.Lstm;

/**
 * recurrent4j's {@code Lstm} and {@code Gru} under DL4J's Spark training on {@code local[2]}: both training masters
 * lower the loss, and parameter averaging with one worker, averaging after every minibatch, is single-machine
 * training (the same parameters, Adam's state carried between fits).
 */
class SparkLayersTest {

    private static final int BATCH = 8;
    private static final int STEPS = 12;

    static MultiLayerNetwork net(String cell, long seed) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.02))
                .list()
                .layer(cell.equals("gru") ? new Gru.Builder().nIn(3).nOut(16).build()
                        : new Lstm.Builder().nIn(3).nOut(16).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nOut(2).build())
                .setInputType(InputType.recurrent(3))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Minibatches of a task that needs memory: at each step, is the running sum of the first input positive? */
    static List<DataSet> data(int batches, long seed) {
        Random r = new Random(seed);
        List<DataSet> out = new ArrayList<>();
        for (int i = 0; i < batches; i++) {
            INDArray x = Nd4j.zeros(DataType.FLOAT, BATCH, 3, STEPS);
            INDArray y = Nd4j.zeros(DataType.FLOAT, BATCH, 2, STEPS);
            for (int b = 0; b < BATCH; b++) {
                double sum = 0;
                for (int t = 0; t < STEPS; t++) {
                    for (int f = 0; f < 3; f++) {
                        x.putScalar(b, f, t, r.nextDouble() * 2 - 1);
                    }
                    sum += x.getDouble(b, 0, t);
                    y.putScalar(b, sum > 0 ? 1 : 0, t, 1);
                }
            }
            out.add(new DataSet(x, y));
        }
        return out;
    }

    static double meanScore(MultiLayerNetwork net, List<DataSet> data) {
        return data.stream().mapToDouble(d -> net.score(d, false)).average().orElseThrow();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @CsvSource({"lstm, averaging", "gru, averaging", "lstm, sharing", "gru, sharing"})
    void bothTrainingMastersLowerTheLoss(String cell, String master, TestReporter reporter) {
        JavaSparkContext sc = SparkTestContext.get();
        List<DataSet> data = data(16, 11);
        MultiLayerNetwork net = net(cell, 3);
        double before = meanScore(net, data);
        TrainingMaster<?, ?> tm = master.equals("averaging") ? SparkTraining.parameterAveraging(BATCH, 2)
                : SparkTraining.gradientSharing(BATCH, "127.0.0.1", 40123 + (cell.equals("gru") ? 1 : 0));
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, net, tm);
        // gradient sharing takes one partition per executor (local mode: one), see SparkTraining.gradientSharing
        int partitions = master.equals("averaging") ? 2 : SparkTraining.executors(sc);
        // gradient sharing moves each parameter by at most its threshold a step: it needs more epochs than averaging
        int epochs = master.equals("averaging") ? 12 : 30;
        for (int epoch = 0; epoch < epochs; epoch++) {
            spark.fit(sc.parallelize(data, partitions));
        }
        double after = meanScore(spark.getNetwork(), data);
        reporter.publishEntry(cell + "/" + master, "loss " + before + " -> " + after);
        tm.deleteTempFiles(sc);
        assertTrue(after < 0.85 * before, cell + " with " + master + ": loss " + before + " -> " + after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void averagingOneWorkerEveryMinibatchIsSingleMachineTraining(String cell, TestReporter reporter) {
        JavaSparkContext sc = SparkTestContext.get();
        List<DataSet> data = data(5, 5);
        MultiLayerNetwork alone = net(cell, 9);
        MultiLayerNetwork distributed = alone.clone();
        for (DataSet d : data) {
            alone.fit(d);
        }
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(1, BATCH)
                .batchSizePerWorker(BATCH)
                .averagingFrequency(1)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .saveUpdater(true)
                .build();
        SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, distributed, tm);
        // one minibatch per fit: one split, so the order is the list's (DL4J splits a larger RDD at random)
        for (DataSet d : data) {
            spark.fit(sc.parallelize(List.of(d), 1));
        }
        INDArray a = alone.params();
        INDArray s = spark.getNetwork().params();
        double diff = a.sub(s).amaxNumber().doubleValue();
        double moved = a.sub(net(cell, 9).params()).amaxNumber().doubleValue();
        reporter.publishEntry(cell, "max |alone - spark| " + diff + ", max change by training " + moved);
        assertTrue(moved > 1e-2, "training moved the parameters by " + moved);
        assertTrue(diff <= 1e-5 * Math.max(1, a.amaxNumber().doubleValue()), cell + ": parameters differ by " + diff);
    }
}
