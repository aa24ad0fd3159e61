package org.recurrent4j.tagging;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.recurrent4j.io.Nd4jArrayFile;

/**
 * Where training stands, so that it can go on exactly where it stopped: epoch and batch, the batch order of the
 * epoch, the random streams, and the best dev result so far. The optimizer state travels with the network.
 *
 * <p>Stored as plain data: JSON ({@link #toJson}) and, for the best parameters, an array in ND4J's binary format
 * whose header is checked against its bytes before it is read. A checkpoint comes from a file, and nothing in it is
 * ever handed to Java deserialization.
 */
final class TrainingState {

    /** Version of the JSON below. */
    static final int FORMAT = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    int epoch = 1;
    /** Batches of {@link #epoch} already trained. */
    int position;
    /** The batch order of {@link #epoch}, indices into the length-sorted batches. */
    int[] order;
    long globalBatch;
    double lossSum;
    RestorableRandom orderRandom;
    RestorableRandom unknownRandom;
    double bestScore = -Double.MAX_VALUE;
    /** The dev loss of the best model, which breaks ties of the dev score. */
    double bestDevLoss = Double.POSITIVE_INFINITY;
    int sinceBest;
    /** The parameters of the best dev score so far; null before the first dev score. */
    INDArray bestParams;

    byte[] toJson() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("epoch", epoch);
        m.put("position", position);
        m.put("order", order);
        m.put("global_batch", globalBatch);
        m.put("loss_sum", lossSum);
        m.put("order_random", orderRandom.state());
        m.put("unknown_random", unknownRandom.state());
        m.put("best_score", bestScore);
        m.put("best_dev_loss", Double.isInfinite(bestDevLoss) ? null : bestDevLoss);   // JSON has no infinity
        m.put("since_best", sinceBest);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    }

    /** The best parameters in ND4J's binary format; null where there are none yet. */
    byte[] bestParamsBytes() throws IOException {
        if (bestParams == null) {
            return null;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(b)) {
            Nd4j.write(bestParams, d);
        }
        return b.toByteArray();
    }

    /**
     * Reads a state written by {@link #toJson} and {@link #bestParamsBytes}.
     *
     * @param batches    the number of batches of the training data, which the batch order must index
     * @param parameters the number of parameters of the network, which the best parameters must have
     * @throws IOException naming {@code what} and the field where anything is missing, of the wrong kind or out of
     *                     range
     */
    static TrainingState read(byte[] json, byte[] bestParams, String what, int batches, long parameters)
            throws IOException {
        JsonNode m;
        try {
            m = JSON.readTree(json);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IOException(what + ": the training state is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (m == null || !m.isObject()) {
            throw new IOException(what + ": the training state is not a JSON object");
        }
        if (number(m, "format", what).intValue() != FORMAT) {
            throw new IOException(what + ": training state format " + m.get("format") + ", this version reads "
                    + FORMAT);
        }
        TrainingState s = new TrainingState();
        s.epoch = whole(m, "epoch", what, 1, Integer.MAX_VALUE);
        s.position = whole(m, "position", what, 0, batches);
        s.globalBatch = number(m, "global_batch", what).longValue();
        s.lossSum = number(m, "loss_sum", what).doubleValue();
        s.orderRandom = new RestorableRandom(number(m, "order_random", what).longValue());
        s.unknownRandom = new RestorableRandom(number(m, "unknown_random", what).longValue());
        s.bestScore = number(m, "best_score", what).doubleValue();
        JsonNode loss = m.get("best_dev_loss");
        s.bestDevLoss = loss == null || loss.isNull() ? Double.POSITIVE_INFINITY : number(m, "best_dev_loss", what)
                .doubleValue();
        s.sinceBest = whole(m, "since_best", what, 0, Integer.MAX_VALUE);
        JsonNode order = m.get("order");
        if (order != null && !order.isNull()) {
            if (!order.isArray() || order.size() != batches) {
                throw new IOException(what + ": the batch order has " + (order.isArray() ? order.size() : "no")
                        + " entries, the training data " + batches + " batches: a checkpoint of other data");
            }
            s.order = new int[batches];
            boolean[] seen = new boolean[batches];
            for (int i = 0; i < batches; i++) {
                JsonNode v = order.get(i);
                if (!v.canConvertToInt() || v.intValue() < 0 || v.intValue() >= batches || seen[v.intValue()]) {
                    throw new IOException(what + ": the batch order is not a permutation of 0.." + (batches - 1));
                }
                seen[v.intValue()] = true;
                s.order[i] = v.intValue();
            }
        }
        if (bestParams != null) {
            long n = Nd4jArrayFile.check(bestParams, what + "!" + Checkpoints.BEST_PARAMS);
            if (n != parameters) {
                throw new IOException(what + ": the best parameters number " + n + ", the network has " + parameters
                        + ": a checkpoint of another network");
            }
            try (DataInputStream d = new DataInputStream(new ByteArrayInputStream(bestParams))) {
                s.bestParams = Nd4j.read(d);
            }
        }
        return s;
    }

    private static Number number(JsonNode m, String key, String what) throws IOException {
        JsonNode v = m.get(key);
        if (v == null || !v.isNumber()) {
            throw new IOException(what + ": the training state has no number '" + key + "'");
        }
        return v.numberValue();
    }

    private static int whole(JsonNode m, String key, String what, int min, int max) throws IOException {
        JsonNode v = m.get(key);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < min || v.intValue() > max) {
            throw new IOException(what + ": the training state's '" + key + "' is " + v + ", expected a whole number "
                    + "in " + min + ".." + max);
        }
        return v.intValue();
    }
}
