package org.recurrent4j.tagging;

import java.util.Locale;

/**
 * Everything that defines a tagger and its training; saved inside the model file. Fields are public for JSON.
 *
 * <p>The defaults are the BiLSTM-CNN-CRF of Ma &amp; Hovy (2016): a character CNN (30-d character embeddings, 30
 * filters of width 3, max over the word), pretrained word vectors (GloVe 100-d with {@code embeddings = "glove"}),
 * a bidirectional LSTM of 200 units per direction, dropout 0.5 on the character embeddings, on the LSTM's input and
 * on its output, a CRF output layer over BIOES tags, and the model of the best dev F1 kept (early stopping). The
 * optimiser follows Reimers &amp; Gurevych (2017), who compared the choices for this architecture on CoNLL 2003:
 * Nadam, learning rate 0.002, the gradient rescaled to an L2 norm of at most 1 (per layer here), batches of 32.
 */
public class TaggerConfig {
    /** {@code lstm}, {@code gru} or {@code rnn}. */
    public String cell = "lstm";
    public boolean bidirectional = true;
    public int hidden = 200;
    public int layers = 1;
    /** Dropout on the recurrent layers' input and on the output layer's input. */
    public double dropout = 0.5;
    /** {@code crf} (a linear-chain CRF) or {@code softmax} (one independent choice per token). */
    public String output = "crf";
    /**
     * The scheme entity tags are trained in: BIOES (IOBES, Ratinov &amp; Roth 2009; as Lample et al. and Ma &amp;
     * Hovy) or BIO. Input files in any scheme are converted; tagging output is BIO.
     */
    public String scheme = "BIOES";
    public int wordDim = 100;
    /** Character CNN filters (the character features' size); 0 turns the character CNN off. */
    public int charFilters = 30;
    public int charDim = 30;
    public int charWidth = 3;
    /** Characters read of each word. */
    public int maxWordLength = 30;
    public int affixDim = 16;
    public int casingDim = 4;
    /** Prefix and suffix embeddings of this many characters; 0 turns them off (the character CNN sees affixes). */
    public int affixLength = 0;
    public boolean casing = true;
    /**
     * Word dropout: during training each word is replaced by the unknown word with this probability, so the network
     * learns to tag from context and word shape when a word is new. Without it, a bidirectional apple tagger scored
     * 91% test F1 (unseen words on the right misled it); with 0.1, see the README.
     */
    public double wordDropout = 0.1;
    /**
     * Pretrained word vectors: {@code glove} (GloVe 6B 100-d, fetched once into the cache), a file in word2vec/GloVe
     * text format or wink-nlp's JSON, or null for none. Every word the vectors have gets its vector, seen in training
     * or not; training words learn a correction added to it (fine-tuning).
     */
    public String embeddings;
    /** Words seen fewer times in training are unknown. */
    public int minWordCount = 1;
    public int epochs = 50;
    public int batch = 32;
    /** Nadam's learning rate. */
    public double learningRate = 0.002;
    /** Each layer's gradient is rescaled to at most this L2 norm; 0 turns it off. */
    public double gradientClip = 1.0;
    /** Stop after this many epochs without a better dev F1. */
    public int patience = 5;
    public long seed = 42;
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
        String[] names = {"--hidden", "--epochs", "--batch", "--word-dim", "--patience"};
        int[] values = {hidden, epochs, batch, wordDim, patience};
        for (int i = 0; i < names.length; i++) {
            if (values[i] < 1) {
                throw new IllegalArgumentException(names[i] + " must be >= 1, got " + values[i]);
            }
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
        output = output.toLowerCase(Locale.ROOT);
        if (!output.equals("crf") && !output.equals("softmax")) {
            throw new IllegalArgumentException("unknown output '" + output + "': use crf or softmax");
        }
        if (charFilters < 0 || charDim < 1 || charWidth < 1 || charWidth % 2 == 0 || maxWordLength < 1) {
            throw new IllegalArgumentException("--char-filters must be >= 0, --char-dim >= 1, --char-width odd, "
                    + "got " + charFilters + ", " + charDim + ", " + charWidth);
        }
        if (gradientClip < 0) {
            throw new IllegalArgumentException("--clip must be >= 0, got " + gradientClip);
        }
    }
}
