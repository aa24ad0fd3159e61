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
@Command(name = "evaluate", description = "Entity-level precision, recall and F1 per type and micro-averaged "
        + "(conlleval semantics), and token accuracy, of a model on a CoNLL file.")
final class EvaluateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A model written by train or demo.")
    Path model;
    @Option(names = "--data", required = true, description = "Tagged data (CoNLL).")
    Path data;
    @Option(names = "--json", description = "One JSON object instead of a table.")
    boolean json;

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
        EntityEvaluation e = tagger.evaluate(readers.read(data));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? e.toJson() + System.lineSeparator() : e.toTable());
        out.flush();
        return 0;
    }
}
