package org.recurrent4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.recurrent4j.tagging.EntityEvaluation;
import org.recurrent4j.tagging.Tagger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Scores a model on a CoNLL file. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Entity-level precision, recall and F1 per type and micro-averaged "
        + "(conlleval semantics), and token accuracy, of a model on a CoNLL file.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A model written by train or demo.")
    Path model;
    @Option(names = "--data", required = true, description = "Tagged data (CoNLL).")
    Path data;
    @Option(names = "--json", description = "One JSON object instead of a table.")
    boolean json;
    @Option(names = "--speed", paramLabel = "PASSES", defaultValue = "0", description = "Also tag the data this many "
            + "more times and print each pass's tagging speed (tokens/s, decoding included), the first pass warming "
            + "the JIT up.")
    int speedPasses;

    @Mixin
    ReaderOptions readers;
    @Mixin
    BackendOptions backend;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        backend.activate();
        Tagger tagger = Tagger.load(model);
        readers.plainTags |= tagger.config().tokenLevel;   // a part-of-speech model knows its task
        java.util.List<org.recurrent4j.tagging.Sentence> sentences = readers.read(data);
        EntityEvaluation e = tagger.evaluate(sentences);
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? e.toJson() + System.lineSeparator() : e.toTable());
        long tokens = sentences.stream().mapToLong(org.recurrent4j.tagging.Sentence::length).sum();
        for (int pass = 1; pass <= speedPasses; pass++) {
            long t0 = System.nanoTime();
            tagger.predict(sentences);
            double s = (System.nanoTime() - t0) / 1e9;
            (json ? spec.commandLine().getErr() : out).println(String.format(java.util.Locale.ROOT,
                    "tagging pass %d: %d tokens in %.2f s, %.0f tokens/s", pass, tokens, s, tokens / s));
        }
        out.flush();
        return 0;
    }
}
