package org.recurrent4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.io.IOException;
import java.time.Duration;
import org.recurrent4j.tagging.Checkpoints;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.recurrent4j.tagging.Sentence;
import org.recurrent4j.tagging.Tagger;
import org.recurrent4j.tagging.TaggerConfig;
import org.recurrent4j.tagging.TaggerTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Trains a sequence tagger on CoNLL files. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a BiRNN sequence tagger on CoNLL files; the model with the best dev score "
        + "is saved.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--train", required = true, description = "Training data (CoNLL).")
    Path train;
    @Option(names = "--dev", required = true, description = "Development data (CoNLL), scored after every epoch.")
    Path dev;
    @Option(names = "--test", description = "Test data (CoNLL), scored once at the end.")
    Path test;
    @Option(names = "--model", required = true, description = "Where to write the model (zip).")
    Path model;

    @Option(names = "--checkpoint-dir", description = "Write a checkpoint after every epoch and every "
            + "--checkpoint-every minutes; Ctrl-C saves one too. Default: MODEL.checkpoints when Ctrl-C is pressed.")
    Path checkpointDir;
    @Option(names = "--checkpoint-every", defaultValue = "10", paramLabel = "MINUTES", description = "Default: "
            + "${DEFAULT-VALUE}")
    double checkpointEvery;
    @Option(names = "--keep-checkpoints", defaultValue = "3", description = "How many of the newest to keep. Default: "
            + "${DEFAULT-VALUE}")
    int keepCheckpoints;
    @Option(names = "--resume", description = "Go on from the newest valid checkpoint in --checkpoint-dir; damaged or "
            + "foreign ones are skipped with the reason and kept, renamed *.invalid. Where there are checkpoints and "
            + "none is valid, an error.")
    boolean resume;
    @Option(names = "--fresh-if-invalid", description = "With --resume: start afresh where no checkpoint is valid "
            + "(the invalid ones are kept, renamed *.invalid).")
    boolean freshIfInvalid;

    @Mixin
    TrainingOptions training;
    @Mixin
    ReaderOptions readers;
    @Mixin
    BackendOptions backend;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TaggerConfig c = training.config();
        c.tokenLevel = readers.plainTags;
        c.validate();
        backend.activate();
        PrintWriter out = spec.commandLine().getOut();
        List<Sentence> tr = readers.read(train);
        List<Sentence> dv = readers.read(dev);
        List<Sentence> te = test == null ? null : readers.read(test);
        UserException.checkWritable("--model", model, train, dev, test);
        if (resume && checkpointDir == null) {
            throw new UserException("--resume needs --checkpoint-dir, the directory of the run to resume");
        }
        if (freshIfInvalid && !resume) {
            throw new UserException("--fresh-if-invalid goes with --resume");
        }
        if (checkpointEvery <= 0) {
            throw new UserException("--checkpoint-every must be > 0 minutes, got " + checkpointEvery);
        }
        Path dir = checkpointDir != null ? checkpointDir : Path.of(model + ".checkpoints");
        AtomicBoolean stop = new AtomicBoolean();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> stop.set(true));
        } catch (IllegalArgumentException e) {
            // the JVM reserves SIGINT here (-Xrs): Ctrl-C then ends it as usual, the last checkpoint stands
        }
        // without --checkpoint-dir, only Ctrl-C writes a checkpoint (into MODEL.checkpoints)
        TaggerTrainer.Control control = new TaggerTrainer.Control(new Checkpoints(dir, keepCheckpoints),
                checkpointDir == null ? null : Duration.ofMillis((long) (checkpointEvery * 60_000)), checkpointDir != null,
                resume, freshIfInvalid, stop);
        TaggerTrainer.Result result = train(c, tr, dv, out, control, checkpointDir != null);
        if (result.stopped()) {
            log(out, "interrupted: checkpoint " + result.checkpoint() + "; go on with --checkpoint-dir " + dir
                    + " --resume");
            out.flush();
            return 130;
        }
        Tagger tagger = result.tagger();
        tagger.save(model);
        log(out, "saved " + model);
        if (te != null) {
            out.print(tagger.evaluate(te).toTable());
        }
        out.flush();
        return 0;
    }

    /** Trains with a progress bar and a log line per epoch; shared with {@code demo}. */
    static Tagger train(TaggerConfig c, List<Sentence> train, List<Sentence> dev, PrintWriter out) throws IOException {
        return train(c, train, dev, out, TaggerTrainer.Control.none(), false).tagger();
    }

    static TaggerTrainer.Result train(TaggerConfig c, List<Sentence> train, List<Sentence> dev, PrintWriter out,
                                      TaggerTrainer.Control control, boolean everyEpoch) throws IOException {
        log(out, String.format(Locale.ROOT, "training %s%s-%s tagger, hidden %d, %d layer(s)%s: %d sentences, dev %d",
                c.bidirectional ? "bidirectional " : "", c.cell, c.output, c.hidden, c.layers,
                c.charFilters > 0 ? ", character CNN" : "", train.size(), dev.size()));
        out.flush();
        ProgressBar[] bar = new ProgressBar[1];
        boolean[] downloadLogged = new boolean[1];
        return TaggerTrainer.train(train, dev, c, new TaggerTrainer.Listener() {
            @Override
            public void resumed(Path checkpoint, int epoch, int batch, List<String> skipped) {
                for (String s : skipped) {
                    log(out, "skipped checkpoint " + s);
                }
                log(out, "resumed from epoch " + epoch + " (batch " + batch + ") of " + checkpoint);
                out.flush();
            }

            @Override
            public void startingAfresh(String why, List<Path> kept) {
                log(out, why);
                log(out, "--fresh-if-invalid: starting afresh; the invalid checkpoints are kept as " + kept.stream()
                        .map(p -> p.getFileName().toString()).toList());
                out.flush();
            }

            @Override
            public void vectorsDownload(long done, long total) {
                if (bar[0] == null && !downloadLogged[0]) {
                    log(out, "downloading the word vectors (once; kept in the cache)");
                    out.flush();
                    downloadLogged[0] = true;
                }
                if (bar[0] == null && INTERACTIVE) {
                    bar[0] = new ProgressBarBuilder().setTaskName("vectors").setInitialMax(Math.max(total, 1))
                            .setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1 << 20).showSpeed()
                            .setUpdateIntervalMillis(500).continuousUpdate().build();
                }
                if (bar[0] != null) {
                    bar[0].stepTo(done);
                    if (done >= total && total > 0) {
                        bar[0].close();
                        bar[0] = null;
                    }
                }
            }

            @Override
            public void embeddingsLoaded(String source, int words, int found, int vocabulary) {
                if (bar[0] != null) {
                    bar[0].close();
                    bar[0] = null;
                }
                log(out, String.format(Locale.ROOT, "word vectors %s: %d words; %d of the %d distinct training tokens "
                        + "have one", source, words, found, vocabulary));
                out.flush();
            }

            @Override
            public void checkpointWritten(Path file) {
                if (everyEpoch || control.stop().get()) {
                    log(out, "checkpoint " + file);
                    out.flush();
                }
            }

            @Override
            public void epochStarted(int epoch, long tokens) {
                if (!INTERACTIVE) {
                    return;   // a log file gets the epoch lines, not a bar's carriage-return frames
                }
                bar[0] = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(tokens)
                        .setStyle(ProgressBarStyle.ASCII).setUnit(" tok", 1).showSpeed().setUpdateIntervalMillis(500)
                        .continuousUpdate().build();
            }

            @Override
            public void batchDone(int epoch, long tokensDone, double loss) {
                if (control.stop().get() && bar[0] != null) {
                    bar[0].close();
                    bar[0] = null;
                }
                if (bar[0] == null) {
                    return;
                }
                bar[0].stepTo(tokensDone);
                bar[0].setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
            }

            @Override
            public void epochDone(TaggerTrainer.EpochReport r) {
                if (bar[0] != null) {
                    bar[0].close();
                }
                int left = c.epochs - r.epoch();
                log(out, String.format(Locale.ROOT, "epoch %d: loss %.4f, dev %s %.2f%%, token accuracy %.2f%%, "
                                + "%.0f tokens/s%s%s", r.epoch(), r.loss(), c.tokenLevel ? "accuracy" : "F1",
                        100 * r.devScore(), r.dev() == null ? 0 : 100 * r.dev().tokenAccuracy(), r.tokensPerSecond(),
                        r.best() ? " (best)" : "", left <= 0 ? "" : String.format(Locale.ROOT,
                                "; at most %d more epoch%s, about %.0f min", left, left == 1 ? "" : "s", left * r.seconds() / 60)));
                out.flush();
            }
        }, control);
    }

    /** Progress bars only on a terminal: redirected output gets the timestamped lines alone. */
    static final boolean INTERACTIVE = System.console() != null;

    static void log(PrintWriter out, String msg) {
        out.println("[" + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "] " + msg);
    }
}
