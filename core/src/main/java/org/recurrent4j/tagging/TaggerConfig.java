package org.recurrent4j.tagging;

import java.util.Locale;

/** Everything that defines a tagger and its training; saved inside the model file. Fields are public for JSON. */
public class TaggerConfig {
    /** {@code lstm}, {@code gru} or {@code rnn}. */
    public String cell = "lstm";
    public boolean bidirectional = true;
    public int hidden = 64;
    public int layers = 1;
    public double dropout = 0.0;
    public int wordDim = 50;
    public int affixDim = 16;
    public int casingDim = 4;
    /** Prefix and suffix embeddings of this many characters; 0 turns them off. */
    public int affixLength = 3;
    public boolean casing = true;
    /**
     * Word dropout: during training each word is replaced by the unknown word with this probability, so the network
     * learns to tag from context and word shape when a word is new. Without it, a bidirectional apple tagger scored
     * 91% test F1 (unseen words on the right misled it); with 0.1, see the README.
     */
    public double wordDropout = 0.1;
    /** Pretrained word vectors (word2vec/GloVe text) to start the word embeddings from, or null. */
    public String embeddings;
    /** Words seen fewer times in training are unknown. */
    public int minWordCount = 1;
    public int epochs = 10;
    public int batch = 32;
    public double learningRate = 0.005;
    /** Stop after this many epochs without a better dev F1. */
    public int patience = 3;
    public long seed = 42;
    public String scheme = "BIO";
    /** Tag-only data (part-of-speech): evaluate and select by token accuracy rather than entity F1. */
    public boolean tokenLevel = false;

    public void validate() {
        cell = cell.toLowerCase(Locale.ROOT);
        if (!cell.equals("lstm") && !cell.equals("gru") && !cell.equals("rnn")) {
            throw new IllegalArgumentException("unknown cell '" + cell + "': use lstm, gru or rnn");
        }
        if (layers < 1 || layers > 2) {
            throw new IllegalArgumentException("--layers must be 1 or 2, got " + layers);
        }
        if (hidden < 1 || epochs < 1 || batch < 1 || wordDim < 1) {
            throw new IllegalArgumentException("--hidden, --epochs, --batch and the embedding sizes must be >= 1");
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("--dropout must be in [0, 1), got " + dropout);
        }
        if (wordDropout < 0 || wordDropout >= 1) {
            throw new IllegalArgumentException("--word-dropout must be in [0, 1), got " + wordDropout);
        }
        if (learningRate <= 0) {
            throw new IllegalArgumentException("--lr must be > 0, got " + learningRate);
        }
        TagScheme.parse(scheme);
    }
}
