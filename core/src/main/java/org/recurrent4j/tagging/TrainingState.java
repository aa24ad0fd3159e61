package org.recurrent4j.tagging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.Random;

/**
 * Where training stands, so that it can go on exactly where it stopped: epoch and batch, the batch order of the
 * epoch, the random streams, and the best dev result so far. The optimizer state travels with the network.
 */
final class TrainingState implements Serializable {
    private static final long serialVersionUID = 1L;

    int epoch = 1;
    /** Batches of {@link #epoch} already trained. */
    int position;
    /** The batch order of {@link #epoch}, indices into the length-sorted batches. */
    int[] order;
    long globalBatch;
    double lossSum;
    Random orderRandom;
    Random unknownRandom;
    double bestScore = -Double.MAX_VALUE;
    /** The dev loss of the best model, which breaks ties of the dev score. */
    double bestDevLoss = Double.POSITIVE_INFINITY;
    int sinceBest;
    /** The parameters of the best dev score so far, as a float or double array. */
    byte[] bestParams;

    byte[] toBytes() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(b)) {
            o.writeObject(this);
        }
        return b.toByteArray();
    }

    /**
     * What a training state may hold, and nothing else (JEP 290): a checkpoint comes from a file, and an unfiltered
     * {@code ObjectInputStream} would build any object graph it describes (a deserialization bomb of JDK collections
     * hangs it; a gadget class on the classpath runs code).
     */
    static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
            "maxdepth=4;maxrefs=64;maxbytes=2147483647;maxarray=2147483647;"
                    + "org.recurrent4j.tagging.TrainingState;java.util.Random;[I;[B;!*");

    static TrainingState fromBytes(byte[] bytes) throws IOException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            in.setObjectInputFilter(FILTER);
            return (TrainingState) in.readObject();
        } catch (ClassNotFoundException | ClassCastException | java.io.InvalidClassException e) {
            throw new IOException("not a recurrent4j training state: " + e.getMessage());
        }
    }
}
