package org.recurrent4j.tagging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.deeplearning4j.models.embeddings.loader.WordVectorSerializer;
import org.deeplearning4j.models.embeddings.wordvectors.WordVectors;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Pretrained word vectors in word2vec or GloVe text format (one word and its numbers per line, a word2vec header line
 * optional), read with DL4J's {@link WordVectorSerializer}, as the starting point of the tagger's word embeddings.
 */
public final class PretrainedEmbeddings {

    private final Path file;
    private final WordVectors vectors;

    private PretrainedEmbeddings(Path file, WordVectors vectors) {
        this.file = file;
        this.vectors = vectors;
    }

    /**
     * @throws IOException naming the file where it is missing or not in the text format
     */
    public static PretrainedEmbeddings load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such vectors file");
        }
        try {
            WordVectors v = WordVectorSerializer.loadTxtVectors(file.toFile());
            if (v.vocab().numWords() == 0) {
                throw new IOException(file + ": no vectors in the file");
            }
            return new PretrainedEmbeddings(file, v);
        } catch (RuntimeException e) {
            throw new IOException(file + " is not word vectors in word2vec/GloVe text format (a word and its numbers "
                    + "per line, separated by spaces): " + e.getMessage(), e);
        }
    }

    public int dimension() {
        return vectors.getWordVector(vectors.vocab().wordAtIndex(0)).length;
    }

    /**
     * Copies the vector of every vocabulary word the file has into the rows of the embedding layer's weights.
     *
     * @return how many vocabulary words were found
     */
    int apply(ComputationGraph net, String embeddingLayer, Vocabulary words) {
        INDArray w = net.getLayer(embeddingLayer).getParam("W");
        if (w.size(1) != dimension()) {
            throw new IllegalArgumentException(file + " has " + dimension() + "-dimensional vectors, the embedding "
                    + "layer " + w.size(1) + ": use --word-dim " + dimension());
        }
        int found = 0;
        for (int i = 2; i < words.size(); i++) {
            String word = words.entries().get(i);
            if (vectors.hasWord(word)) {
                w.putRow(i, vectors.getWordVectorMatrix(word).reshape(w.size(1)).castTo(w.dataType()));
                found++;
            }
        }
        return found;
    }

    public Path file() {
        return file;
    }
}
