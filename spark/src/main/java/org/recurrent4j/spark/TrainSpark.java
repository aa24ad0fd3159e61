package org.recurrent4j.spark;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.recurrent4j.tagging.ConllReader;
import org.recurrent4j.tagging.EntityEvaluation;
import org.recurrent4j.tagging.Sentence;
import org.recurrent4j.tagging.Tagger;
import org.recurrent4j.tagging.TaggerConfig;
import org.recurrent4j.tagging.TaggerTrainer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code train-spark}: trains the sequence tagger on Spark ({@link SparkTaggerTrainer}) and writes the model that the
 * command line's {@code evaluate} and {@code tag} take. Run with {@code spark-submit --class
 * org.recurrent4j.spark.TrainSpark recurrent4j-spark-job.jar ...}, or locally with {@code spark/run-local.sh}.
 * Exit status 0 on success, 1 on bad input (a message naming the file or option, no model written), 70 on a bug.
 */
@Command(name = "train-spark", mixinStandardHelpOptions = true, description = "Train the sequence tagger on Spark "
        + "with DL4J's training masters and write the model (for evaluate and tag).")
public final class TrainSpark implements Callable<Integer> {

    @Option(names = "--train", required = true, paramLabel = "PATH", description = "CoNLL training data: a file, a "
            + "directory of files or a glob, on any file system Spark reads (file:, hdfs:, s3a:); each file is read "
            + "whole where it lies.")
    String train;

    @Option(names = "--dev", paramLabel = "FILE", description = "CoNLL sentences that choose the epoch, read on the "
            + "driver (none: the training loss chooses).")
    Path dev;

    @Option(names = "--out", required = true, paramLabel = "model.zip", description = "The model to write (on the "
            + "driver's file system).")
    Path out;

    @Option(names = "--config", paramLabel = "FILE.json", description = "The tagger's settings as JSON (the fields of "
            + "org.recurrent4j.tagging.TaggerConfig, as every model stores them under \"config\" in its recurrent4j-tagger.json); the options below "
            + "override it.")
    Path config;

    @Option(names = "--epochs", description = "At most this many (default: the config's, 50).")
    Integer epochs;

    @Option(names = "--batch", description = "Sentences per minibatch and worker (default: the config's, 32).")
    Integer batch;

    @Option(names = "--seed", description = "Default: the config's, 42.")
    Long seed;

    @Option(names = "--embeddings", paramLabel = "glove|FILE|none", description = "Pretrained word vectors, read "
            + "on the driver (default: the config's, none).")
    String embeddings;

    @Option(names = "--training-master", defaultValue = "averaging", paramLabel = "averaging|sharing",
            description = "averaging: synchronous parameter averaging; sharing: asynchronous gradient sharing over "
                    + "Aeron (UDP). Default: ${DEFAULT-VALUE}")
    String trainingMaster;

    @Option(names = "--averaging-frequency", defaultValue = "5", description = "Minibatches per worker between two "
            + "averagings. Default: ${DEFAULT-VALUE}")
    int averagingFrequency;

    @Option(names = "--controller-address", paramLabel = "HOST", description = "With sharing: the driver's address as "
            + "the executors reach it. Default: spark.driver.host")
    String controllerAddress;

    @Option(names = "--port", defaultValue = "40123", description = "With sharing: the UDP port of Aeron. "
            + "Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--partitions", description = "Repartition the training sentences into this many parts "
            + "(default: one part per file, at least Spark's default parallelism).")
    Integer partitions;

    @Option(names = "--spark-master", paramLabel = "URL", description = "Spark's master where spark-submit sets "
            + "none (a run with java itself): local[N], spark://HOST:PORT, ...")
    String sparkMaster;

    @Option(names = "--token-column", defaultValue = "0", description = "Column of the token (0-based; negative "
            + "counts from the end). Default: ${DEFAULT-VALUE}")
    int tokenColumn;

    @Option(names = "--tag-column", defaultValue = "-1", description = "Column of the tag (0-based; -1 is the last). "
            + "Default: ${DEFAULT-VALUE}")
    int tagColumn;

    @Option(names = "--scheme", defaultValue = "auto", description = "Tag scheme of the files: auto (any of IOB1, "
            + "IOB2 and BIOES), or IOB1, BIO (IOB2) or BIOES to check the tags against one. Default: ${DEFAULT-VALUE}")
    String scheme;

    @Option(names = "--pos", description = "The tags are plain labels (part of speech), not entity chunks: no scheme "
            + "check, model chosen by token accuracy.")
    boolean plainTags;

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Runs {@code train-spark} with {@code args} and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs {@code train-spark} with {@code args}; returns its exit status (0, 1 for bad input, 70 for a bug). */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new TrainSpark());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            Throwable cause = userError(ex);
            Throwable shown = cause != null ? cause : ex;
            line.getErr().println("error: " + (shown.getMessage() != null ? shown.getMessage()
                    : shown.getClass().getSimpleName()));
            if (cause == null) {
                ex.printStackTrace(line.getErr());
            }
            line.getErr().flush();
            return cause != null ? 1 : 70;
        });
        return cl.execute(args);
    }

    /**
     * The error a user caused (bad input, a missing file: an {@link IllegalArgumentException} or {@link IOException})
     * in {@code ex} or its causes: an executor's failure reaches the driver wrapped in Spark's exceptions. Null for
     * anything else, which is a bug.
     */
    static Throwable userError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof IOException) {
                return t;
            }
        }
        return null;
    }

    @Override
    public Integer call() throws Exception {
        TaggerConfig c = config();
        String master = trainingMaster.toLowerCase(Locale.ROOT);
        if (!master.equals("averaging") && !master.equals("sharing")) {
            throw new IllegalArgumentException("--training-master '" + trainingMaster + "': use averaging or sharing");
        }
        if (master.equals("sharing") && dev == null) {
            throw new IllegalArgumentException("--training-master sharing needs --dev: DL4J's gradient sharing reports "
                    + "no training loss, so without dev sentences nothing can choose the epoch");
        }
        if (averagingFrequency < 1 || (partitions != null && partitions < 1) || port < 1 || port > 65535) {
            throw new IllegalArgumentException(averagingFrequency < 1 ? "--averaging-frequency must be >= 1, got "
                    + averagingFrequency : port < 1 || port > 65535 ? "--port must be in 1..65535, got " + port
                    : "--partitions must be >= 1, got " + partitions);
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new NoSuchFileException(out.toString(), null, "--out: its directory does not exist");
        }
        Path localTrain = localPath(train);
        if (localTrain != null && Files.isDirectory(localTrain)
                && out.toAbsolutePath().normalize().startsWith(localTrain.toAbsolutePath().normalize())) {
            throw new IOException("--out " + out + " is inside the --train directory " + train + ": the next run "
                    + "would read the model as training data; write it elsewhere");
        }
        try {
            org.recurrent4j.io.AtomicFiles.checkWritable(out, localTrain, dev, config);
        } catch (IOException e) {
            throw new IOException("--out " + e.getMessage(), e);
        }
        if (dev != null && !Files.isRegularFile(dev)) {
            throw new NoSuchFileException(dev.toString(), null, "--dev: no such file");
        }
        boolean entities = !plainTags;
        String fileScheme = scheme;
        List<Sentence> devSentences = dev == null ? List.of() : read(dev.toString(), Files.newInputStream(dev),
                tokenColumn, tagColumn, entities, fileScheme);
        SparkConf conf = SparkTraining.configure(new SparkConf().setAppName("recurrent4j train-spark"));
        if (sparkMaster != null) {
            conf.setMaster(sparkMaster);
        } else if (!conf.contains("spark.master")) {
            throw new IllegalArgumentException("no Spark master: run through spark-submit, or give --spark-master "
                    + "(local[2] for this machine)");
        }
        JavaSparkContext sc;
        try {
            sc = JavaSparkContext.fromSparkContext(SparkContext.getOrCreate(conf));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Spark does not start with master '" + conf.get("spark.master")
                    + "' (" + e.getMessage() + "): give --spark-master local[N] or a reachable spark://HOST:PORT", e);
        }
        PrintWriter log = spec.commandLine().getOut();
        int tokenCol = tokenColumn;
        int tagCol = tagColumn;
        JavaRDD<Sentence> sentences = sc.binaryFiles(train)
                .flatMap(f -> read(f._1(), f._2().open(), tokenCol, tagCol, entities, fileScheme).iterator());
        int parts = partitions != null ? partitions : Math.max(sc.defaultParallelism(), sentences.getNumPartitions());
        sentences = sentences.repartition(parts);
        TrainingMaster<?, ?> tm = master.equals("averaging")
                ? SparkTraining.parameterAveraging(c.batch, averagingFrequency)
                : SparkTraining.gradientSharing(c.batch, controllerAddress != null ? controllerAddress
                : sc.getConf().get("spark.driver.host", "127.0.0.1"), port);
        long t0 = System.nanoTime();
        Tagger tagger = SparkTaggerTrainer.train(sentences, devSentences, c, tm, new TaggerTrainer.Listener() {
            @Override
            public void epochDone(TaggerTrainer.EpochReport r) {
                String loss = master.equals("sharing") ? "loss not reported (gradient sharing)"
                        : String.format(Locale.ROOT, "loss %.4f", r.loss());
                String score = r.dev() == null ? "no dev set, the training loss chooses"
                        : String.format(Locale.ROOT, "dev %s %.4f", c.tokenLevel ? "accuracy" : "F1", r.devScore());
                log.printf(Locale.ROOT, "epoch %d: %s, %s%s, %.1f s%n", r.epoch(), loss, score,
                        r.best() ? " (best)" : "", r.seconds());
                log.flush();
            }
        });
        tagger.save(out);
        log.printf(Locale.ROOT, "wrote %s in %.1f s%n", out, (System.nanoTime() - t0) / 1e9);
        if (!devSentences.isEmpty()) {
            EntityEvaluation e = tagger.evaluate(devSentences);
            log.printf(Locale.ROOT, "dev: %s%n", c.tokenLevel ? "accuracy " + e.tokenAccuracy()
                    : "micro F1 " + e.micro().f1());
        }
        log.flush();
        return 0;
    }

    /** A CoNLL text ({@code in}, closed) as the command line's readers read it (see ConllReader.forSchemeOption). */
    static List<Sentence> read(String name, java.io.InputStream in, int tokenColumn, int tagColumn,
                               boolean entities, String scheme) throws IOException {
        return ConllReader.forSchemeOption(tokenColumn, tagColumn, scheme, !entities).readAsBio(in, name);
    }

    /** {@code path} on the local file system where it names one (no scheme, or file:), else null. */
    private static Path localPath(String path) {
        try {
            java.net.URI u = java.net.URI.create(path);
            if (u.getScheme() == null) {
                return path.contains("*") || path.contains("?") ? null : Path.of(path);
            }
            return u.getScheme().equals("file") ? Path.of(u) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private TaggerConfig config() throws IOException {
        TaggerConfig c = new TaggerConfig();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new NoSuchFileException(config.toString(), null, "--config: no such file");
            }
            try {
                c = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .readValue(Files.readAllBytes(config), TaggerConfig.class);
            } catch (IOException e) {
                throw new IOException(config + ": not a tagger configuration: " + e.getMessage().lines().findFirst()
                        .orElse(""), e);
            }
        }
        if (epochs != null) {
            c.epochs = epochs;
        }
        if (batch != null) {
            c.batch = batch;
        }
        if (seed != null) {
            c.seed = seed;
        }
        if (embeddings != null) {
            c.embeddings = embeddings.equals("none") ? null : embeddings;
        }
        c.tokenLevel |= plainTags;
        c.validate();
        return c;
    }
}
