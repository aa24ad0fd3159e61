package org.recurrent4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.recurrent4j.examples.AppleData;
import org.recurrent4j.tagging.ConllReader;
import org.recurrent4j.tagging.Sentence;
import org.recurrent4j.tagging.Tagger;
import org.recurrent4j.tagging.TaggerConfig;
import org.recurrent4j.tagging.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The main job: the article's apple example, trained and shown. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Train the apple tagger on the bundled data (apple the fruit against Apple the "
        + "company), print its test F1, save it, and tag the article's two sentences.")
final class DemoCommand implements Callable<Integer> {

    static final List<String> SENTENCES = List.of("I like eating apple!", "The Apple is a great company!");

    @Option(names = "--model", defaultValue = "apple-ner.zip", description = "Where to save the model. "
            + "Default: ${DEFAULT-VALUE}")
    Path model;
    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}")
    String cell;
    @Option(names = "--unidirectional", description = "Read left to right only (to see why right context matters).")
    boolean unidirectional;
    @Option(names = "--epochs", defaultValue = "15", description = "Default: ${DEFAULT-VALUE}")
    int epochs;
    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}")
    long seed;
    @Option(names = "--embeddings", paramLabel = "glove|none|FILE", defaultValue = "glove", description = "Pretrained "
            + "word vectors, as train's --embeddings (GloVe is downloaded once, 118 MB); 'none' for none. "
            + "Default: ${DEFAULT-VALUE}")
    String embeddings;

    @Mixin
    BackendOptions backend;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TaggerConfig c = new TaggerConfig();
        c.cell = cell;
        c.bidirectional = !unidirectional;
        c.epochs = epochs;
        c.seed = seed;
        c.embeddings = embeddings.equals("none") ? null : embeddings;
        c.validate();
        backend.activate();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("recurrent4j-apple");
        List<Path> files = AppleData.writeTo(dir);
        ConllReader reader = new ConllReader();
        List<Sentence> train = reader.read(files.get(0));
        List<Sentence> dev = reader.read(files.get(1));
        List<Sentence> test = reader.read(files.get(2));
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);

        Tagger tagger = TrainCommand.train(c, train, dev, out);
        out.println();
        out.println("Test set (sentence patterns not seen in training):");
        out.print(tagger.evaluate(test).toTable());
        tagger.save(model);
        out.println();
        TrainCommand.log(out, "saved the model to " + model);
        out.println();
        for (String s : SENTENCES) {
            List<String> tokens = Tokenizer.tokenize(s);
            List<String> tags = tagger.tag(tokens);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < tokens.size(); i++) {
                line.append(tokens.get(i));
                if (!tags.get(i).equals("O")) {
                    line.append("/").append(tags.get(i).substring(2));
                }
                line.append(' ');
            }
            out.println(s + "  ->  " + line.toString().trim());
            for (int i = 0; i < tokens.size(); i++) {
                if (tokens.get(i).equalsIgnoreCase("apple")) {
                    String type = tags.get(i).equals("O") ? "O" : tags.get(i).substring(2);
                    out.println("    " + tokens.get(i) + " -> " + type);
                }
            }
        }
        out.flush();
        return 0;
    }
}
