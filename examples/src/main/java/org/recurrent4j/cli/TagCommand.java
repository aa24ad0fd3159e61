package org.recurrent4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.recurrent4j.io.Utf8Lines;
import org.recurrent4j.tagging.Sentence;
import org.recurrent4j.tagging.Tagger;
import org.recurrent4j.tagging.TagScheme;
import org.recurrent4j.tagging.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Tags sentences, one per line. */
@Command(name = "tag", mixinStandardHelpOptions = true, description = "Tag sentences, one per line, from standard input or files: prints "
        + "token<TAB>tag lines and a blank line after each sentence.")
final class TagCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "A model written by train or demo.")
    Path model;
    @Option(names = "--pretokenized", description = "Tokens are separated by spaces already; do not split "
            + "punctuation off.")
    boolean pretokenized;
    @Option(names = "--output-scheme", paramLabel = "SCHEME", description = "Tag scheme of the output: BIO (IOB2, the "
            + "default), IOB1 (CoNLL-2003's: B- only between two adjacent chunks of one type) or BIOES. Entity models "
            + "only.")
    String outputScheme;
    @Parameters(arity = "0..*", paramLabel = "FILE", description = "Files to tag (UTF-8, one sentence a line; - for standard input); "
            + "standard input where none.")
    List<Path> files = new ArrayList<>();

    @Mixin
    BackendOptions backend;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (Path f : files) {
            if (!f.toString().equals("-") && !Files.isRegularFile(f) && !Files.isReadable(f)) {
                throw new UserException("no such file: " + f);
            }
        }
        TagScheme scheme;
        try {
            scheme = outputScheme == null ? TagScheme.BIO : TagScheme.parse(outputScheme);
        } catch (IllegalArgumentException e) {
            throw new UserException("--output-scheme: " + e.getMessage());
        }
        backend.activate();
        Tagger tagger = Tagger.load(model);
        if (outputScheme != null && tagger.config().tokenLevel) {
            throw new UserException("--output-scheme: " + model + " tags plain labels (part of speech), not entity "
                    + "chunks: there is no scheme to choose");
        }
        List<String> lines = new ArrayList<>();
        // strict UTF-8, a byte-order mark dropped: a bad byte is named with its file and line, never replaced
        if (files.isEmpty()) {
            readLines(new Utf8Lines(System.in, "standard input"), lines);
        } else {
            for (Path f : files) {
                readLines(f.toString().equals("-") ? new Utf8Lines(System.in, "standard input")
                        : new Utf8Lines(Files.newInputStream(f), f.toString()), lines);
            }
        }
        List<Sentence> sentences = new ArrayList<>();
        for (String l : lines) {
            // an empty line is an empty sentence: one blank line out, so input lines and output blocks pair up
            List<String> toks = l.isBlank() ? List.of()
                    : pretokenized ? Arrays.asList(l.strip().split("\\s+")) : Tokenizer.tokenize(l);
            sentences.add(new Sentence(toks, null, 0));
        }
        PrintWriter out = spec.commandLine().getOut();
        List<List<String>> tags = tagger.predict(sentences);
        if (scheme != TagScheme.BIO) {
            tags.replaceAll(scheme::convert);
        }
        print(out, sentences, tags);
        out.flush();
        return 0;
    }

    private static void readLines(Utf8Lines in, List<String> lines) throws java.io.IOException {
        try (in) {
            for (String l = in.next(); l != null; l = in.next()) {
                lines.add(l);
            }
        }
    }

    static void print(PrintWriter out, List<Sentence> sentences, List<List<String>> tags) {
        for (int i = 0; i < sentences.size(); i++) {
            for (int j = 0; j < sentences.get(i).length(); j++) {
                out.println(sentences.get(i).tokens().get(j) + "\t" + tags.get(i).get(j));
            }
            out.println();
        }
    }
}
