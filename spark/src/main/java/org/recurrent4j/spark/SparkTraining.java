package org.recurrent4j.spark;

import java.util.List;
import org.apache.spark.SparkConf;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.parameterserver.distributed.conf.VoidConfiguration;

/**
 * What DL4J's Spark training (dl4j-spark 1.0.0-M2, Spark 3.1, Scala 2.12) needs to run recurrent4j networks on Java
 * 17, and its two training masters set up for them.
 *
 * <pre>{@code
 * SparkConf conf = SparkTraining.configure(new SparkConf().setAppName("tagger"));
 * JavaSparkContext sc = new JavaSparkContext(conf);
 * SparkComputationGraph net = new SparkComputationGraph(sc, graph, SparkTraining.parameterAveraging(32, 5));
 * }</pre>
 */
public final class SparkTraining {

    /**
     * The JVM options of the driver and of every executor on Java 17: the packages Spark, Kryo and ND4J reach into
     * ({@code --add-opens}), and Aeron's publication timeout, which gradient sharing's transport (dl4j-spark 1.0.0-M2)
     * sets to 30 s where the Aeron of ND4J 1.0.0-M2.1 needs more than its liveness timeout. A driver's options must be
     * given where its JVM starts: {@code spark-submit --driver-java-options}, or {@code java} itself.
     */
    public static final List<String> JAVA_OPTIONS = List.of(
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "-Daeron.publication.unblock.timeout=60000000000");

    private SparkTraining() {
    }

    /** {@link #JAVA_OPTIONS} as one string, as {@code spark.executor.extraJavaOptions} takes them. */
    public static String javaOptions() {
        return String.join(" ", JAVA_OPTIONS);
    }

    /**
     * Adds {@link #JAVA_OPTIONS} to the executors' Java options (after any already set) and, unless a serializer is
     * set, Kryo with {@link Recurrent4jKryoRegistrator} (ND4J's arrays travel as their buffers, not as Java objects).
     *
     * @return {@code conf}
     */
    public static SparkConf configure(SparkConf conf) {
        String executor = conf.get("spark.executor.extraJavaOptions", "").strip();
        if (!executor.contains(JAVA_OPTIONS.get(0))) {
            conf.set("spark.executor.extraJavaOptions", (executor + " " + javaOptions()).strip());
        }
        if (!conf.contains("spark.serializer")) {
            conf.set("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
            conf.set("spark.kryo.registrator", Recurrent4jKryoRegistrator.class.getName());
        }
        return conf;
    }

    /**
     * Synchronous parameter averaging (DL4J's {@link ParameterAveragingTrainingMaster}): each worker fits
     * {@code averagingFrequency} minibatches of {@code batchSizePerWorker} examples, then the parameters and the
     * updater's state are averaged. The RDD's elements are used directly (no export to files), each minibatch as it
     * is where its size is {@code batchSizePerWorker}.
     *
     * @throws IllegalArgumentException where a size is below 1
     */
    public static ParameterAveragingTrainingMaster parameterAveraging(int batchSizePerWorker, int averagingFrequency) {
        positive("batchSizePerWorker", batchSizePerWorker);
        positive("averagingFrequency", averagingFrequency);
        return new ParameterAveragingTrainingMaster.Builder(batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .saveUpdater(true)
                .build();
    }

    /**
     * Asynchronous gradient sharing (DL4J's {@link SharedTrainingMaster}, Strom 2015): workers exchange quantised
     * updates over Aeron (UDP) through {@code controllerAddress:port}, the driver's address as the executors reach it.
     * DL4J reports no training loss with it ({@code getScore()} is 0).
     *
     * <p>Give it an RDD of one partition per executor: the data is used as partitioned (no repartitioning). DL4J runs
     * one trainer per executor JVM, the first task of a stage, which also consumes the data of the executor's other
     * tasks of that stage; a task that starts after the trainer has finished waits for ever (seen in local mode with
     * two partitions of small data: a hang, not an error). {@link SparkTaggerTrainer} coalesces its batches so.
     *
     * @throws IllegalArgumentException where the batch size is below 1 or the port is not in 1..65535
     */
    public static SharedTrainingMaster gradientSharing(int batchSizePerWorker, String controllerAddress, int port) {
        positive("batchSizePerWorker", batchSizePerWorker);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
        VoidConfiguration voids = VoidConfiguration.builder()
                .unicastPort(port)
                .controllerAddress(controllerAddress)
                .build();
        return new SharedTrainingMaster.Builder(voids, batchSizePerWorker)
                .batchSizePerWorker(batchSizePerWorker)
                .repartitionData(Repartition.Never)
                // the builder's default DefaultRepartitioner ignores Repartition.Never and splits into many partitions
                .repartitioner(new org.deeplearning4j.spark.impl.repartitioner.NoOpRepartitioner())
                .workerPrefetchNumBatches(0)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .build();
    }

    /**
     * The executors of {@code sc} (1 in local mode, where the driver's JVM runs the tasks): the partitions an RDD for
     * {@link #gradientSharing} should have.
     */
    public static int executors(org.apache.spark.api.java.JavaSparkContext sc) {
        if (sc.isLocal()) {
            return 1;
        }
        return Math.max(1, sc.sc().statusTracker().getExecutorInfos().length - 1);   // less the driver
    }

    private static void positive(String what, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(what + " must be at least 1, got " + v);
        }
    }
}
