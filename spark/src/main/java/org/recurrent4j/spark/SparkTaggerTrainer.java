package org.recurrent4j.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.parameterserver.training.SharedTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.recurrent4j.tagging.FeatureCounts;
import org.recurrent4j.tagging.Features;
import org.recurrent4j.tagging.Sentence;
import org.recurrent4j.tagging.TagScheme;
import org.recurrent4j.tagging.Tagger;
import org.recurrent4j.tagging.TaggerConfig;
import org.recurrent4j.tagging.TaggerNetwork;
import org.recurrent4j.tagging.TaggerTrainer;
import org.recurrent4j.tagging.WordVectors;

/**
 * Trains recurrent4j's sequence tagger ({@link TaggerTrainer}'s network and features) on Spark: the training
 * sentences are an RDD, the network is fitted by a DL4J training master (see {@link SparkTraining}), and the model is
 * the {@link Tagger} that {@code Tagger.save}, the command line's {@code evaluate} and {@code tag} take.
 *
 * <p>What runs where. The vocabularies are counted on the executors and merged ({@link FeatureCounts}: the same
 * vocabularies as a single-machine fit over the same sentences). The pretrained vectors are read on the driver, and
 * the executors get only the rows of the training tokens. Each epoch, every partition shuffles its sentences, sorts
 * them by length and cuts them into batches of {@code c.batch} (as {@link TaggerTrainer#batches}), which the executors
 * encode ({@code Features.encode}, word dropout included) and the training master fits. After each epoch the driver
 * scores the model on the dev sentences and keeps the best, stopping after {@code c.patience} epochs without a better
 * one, as {@link TaggerTrainer} does ({@link TaggerTrainer.EpochJudge}).
 *
 * <p>Differences from {@link TaggerTrainer}: batches are made within partitions (each holds sentences of one part of
 * the corpus), a training master averages or shares what its workers learn, dropout masks are drawn on the executors,
 * and there are no checkpoints: a run is repeatable only up to Spark's scheduling.
 */
public final class SparkTaggerTrainer {

    private SparkTaggerTrainer() {
    }

    /**
     * @param train    the training sentences, tags in any scheme the configuration's {@code scheme} converts
     * @param dev      the sentences that choose the epoch (empty: the training loss chooses; refused with gradient
     *                 sharing, which reports none), on the driver
     * @param master   DL4J's training master; its batch size per worker should be {@code c.batch}
     *                 ({@link SparkTraining#parameterAveraging}, {@link SparkTraining#gradientSharing})
     * @param listener progress: vectors, each epoch's start and report (its loss is DL4J's last averaged minibatch
     *                 score; 0 with gradient sharing, which reports none)
     * @throws IllegalArgumentException where the configuration is invalid or there are no training sentences
     * @throws IOException              where the word vectors cannot be read, naming the file
     */
    public static Tagger train(JavaRDD<Sentence> train, List<Sentence> dev, TaggerConfig c,
                               TrainingMaster<?, ?> master, TaggerTrainer.Listener listener) throws IOException {
        c.validate();
        if (dev.isEmpty() && master instanceof SharedTrainingMaster) {
            throw new IllegalArgumentException("gradient sharing needs dev sentences: DL4J reports no training loss "
                    + "with it, so nothing else can choose the epoch");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(train.context());
        TagScheme scheme = c.tokenLevel ? null : TagScheme.parse(c.scheme);
        JavaPairRDD<Sentence, Long> indexed = train
                .map(s -> scheme == null ? s : new Sentence(s.tokens(), scheme.convert(s.tags()), s.line()))
                .zipWithIndex()
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long sentences = indexed.count();
            if (sentences == 0) {
                throw new IllegalArgumentException("no training sentences");
            }
            if (sentences > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(sentences + " training sentences: at most " + Integer.MAX_VALUE);
            }
            FeatureCounts counts = indexed.aggregate(new FeatureCounts(c), (acc, p) -> acc.add(p._1(), p._2()),
                    FeatureCounts::merge);
            WordVectors vectors = TaggerTrainer.vectors(c, listener);
            Nd4j.getRandom().setSeed(c.seed);
            Features features = Features.fit(counts, c, vectors);
            ComputationGraph net = TaggerNetwork.build(c, features);
            Features shipped = features;
            if (vectors != null) {
                List<String> distinct = indexed.keys().flatMap(s -> s.tokens().iterator()).distinct().collect();
                WordVectors rows = vectors.subset(distinct);
                listener.embeddingsLoaded(c.embeddings, vectors.size(), rows.size(), distinct.size());
                shipped = features.withVectors(rows);
            }
            Broadcast<Features> encoder = sc.broadcast(shipped);
            long tokens = indexed.keys().map(s -> (long) s.length()).reduce(Long::sum);
            SparkComputationGraph spark = new SparkComputationGraph(sc, net, master);
            TaggerTrainer.EpochJudge judge = new TaggerTrainer.EpochJudge(dev, c);
            Tagger tagger = new Tagger(net, features, c);
            int batch = c.batch;
            double wordDropout = c.wordDropout;
            for (int epoch = 1; epoch <= c.epochs; epoch++) {
                listener.epochStarted(epoch, tokens);
                long t0 = System.nanoTime();
                long seed = c.seed * 1_000_003L + epoch;
                JavaRDD<MultiDataSet> batches = indexed.keys().mapPartitionsWithIndex((part, it) -> {
                    List<Sentence> own = new ArrayList<>();
                    it.forEachRemaining(own::add);
                    Random random = new Random(seed * 31 + part);
                    List<MultiDataSet> out = new ArrayList<>();
                    for (List<Sentence> b : TaggerTrainer.batches(own, batch, random)) {
                        out.add(encoder.value().encode(b, true, random, wordDropout, true));
                    }
                    return out.iterator();
                }, true);
                if (master instanceof SharedTrainingMaster) {   // one partition per executor: see gradientSharing
                    batches = batches.coalesce(SparkTraining.executors(sc));
                }
                spark.fitMultiDataSet(batches);
                tagger = new Tagger(spark.getNetwork(), features, c);
                double seconds = (System.nanoTime() - t0) / 1e9;
                TaggerTrainer.EpochReport report = judge.judge(tagger, epoch, spark.getScore() * sentences,
                        (int) sentences, seconds, tokens / seconds);
                listener.epochDone(report);
                if (judge.stop()) {
                    break;
                }
            }
            judge.restoreBest(tagger);
            encoder.destroy();
            return tagger;
        } finally {
            indexed.unpersist();
            master.deleteTempFiles(sc);
        }
    }
}
