package org.recurrent4j.cli;

import org.recurrent4j.tagging.TaggerConfig;
import picocli.CommandLine.Option;

/** The tagger's architecture and training settings. */
final class TrainingOptions {
    @Option(names = "--cell", defaultValue = "lstm", description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}")
    String cell;
    @Option(names = "--bidirectional", description = "Read each sentence in both directions.")
    boolean bidirectional;
    @Option(names = "--hidden", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}")
    int hidden;
    @Option(names = "--layers", defaultValue = "1", description = "1 or 2. Default: ${DEFAULT-VALUE}")
    int layers;
    @Option(names = "--dropout", defaultValue = "0.0", description = "Default: ${DEFAULT-VALUE}")
    double dropout;
    @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}")
    int epochs;
    @Option(names = "--batch", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}")
    int batch;
    @Option(names = "--lr", defaultValue = "0.005", description = "Adam's learning rate. Default: ${DEFAULT-VALUE}")
    double lr;
    @Option(names = "--patience", defaultValue = "3", description = "Stop after this many epochs without a better dev "
            + "score. Default: ${DEFAULT-VALUE}")
    int patience;
    @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}")
    long seed;
    @Option(names = "--word-dim", defaultValue = "50", description = "Default: ${DEFAULT-VALUE}")
    int wordDim;
    @Option(names = "--affix-length", defaultValue = "3", description = "Prefix/suffix features of this many "
            + "characters, 0 for none. Default: ${DEFAULT-VALUE}")
    int affixLength;
    @Option(names = "--no-casing", description = "Leave out the casing feature.")
    boolean noCasing;
    @Option(names = "--embeddings", paramLabel = "VECTORS.txt", description = "Pretrained word vectors in word2vec "
            + "or GloVe text format to start the word embeddings from (sets --word-dim to their size).")
    java.nio.file.Path embeddings;
    @Option(names = "--word-dropout", defaultValue = "0.1", description = "Probability of replacing a training word by "
            + "the unknown word. Default: ${DEFAULT-VALUE}")
    double wordDropout;
    @Option(names = "--min-word-count", defaultValue = "1", description = "Rarer training words are unknown. "
            + "Default: ${DEFAULT-VALUE}")
    int minWordCount;

    TaggerConfig config() {
        TaggerConfig c = new TaggerConfig();
        c.cell = cell;
        c.bidirectional = bidirectional;
        c.hidden = hidden;
        c.layers = layers;
        c.dropout = dropout;
        c.epochs = epochs;
        c.batch = batch;
        c.learningRate = lr;
        c.patience = patience;
        c.seed = seed;
        c.wordDim = wordDim;
        c.affixLength = affixLength;
        c.casing = !noCasing;
        c.minWordCount = minWordCount;
        c.wordDropout = wordDropout;
        c.embeddings = embeddings == null ? null : embeddings.toString();
        return c;
    }
}
