package org.recurrent4j.interop;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.nd4j.shade.jackson.core.JsonProcessingException;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.recurrent4j.io.BoundedZip;

/**
 * A Keras model as saved: its configuration (JSON) and its weights (HDF5), from one of Keras' three forms:
 * <ul>
 *   <li>tf.keras 2 / Keras 2 {@code model.save("m.h5")}: root attribute {@code model_config}, weights under
 *       {@code model_weights/<layer>/}, listed by the attribute {@code weight_names} in the order Keras loads them;</li>
 *   <li>Keras 2 {@code model.to_json()} beside {@code model.save_weights("w.h5")} (the layer groups at the root);</li>
 *   <li>Keras 3 {@code model.save("m.keras")}: a zip of {@code config.json}, {@code metadata.json} and
 *       {@code model.weights.h5}, weights under {@code layers/<layer>/.../vars/<i>}.</li>
 * </ul>
 * The files are untrusted: the zip is read with {@link BoundedZip}'s bounds, every failure of the HDF5 reader becomes
 * an {@link IOException} naming the file, and a weight's shape is checked before its values are read.
 */
final class KerasModelFile implements AutoCloseable {

    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
    /** The largest config.json / model_config accepted: configurations are kilobytes. */
    private static final long MAX_CONFIG_BYTES = 64L << 20;

    final JsonNode config;
    /** True for Keras 3 (a {@code .keras} file, or a {@code keras_version} of 3 or more). */
    final boolean keras3;
    /** The file in messages. */
    final String source;
    private final HdfFile hdf;
    /** Where the layer groups are: {@code model_weights}, the root, or (Keras 3) {@code layers}. */
    private final Group layers;

    private KerasModelFile(JsonNode config, boolean keras3, String source, HdfFile hdf, Group layers) {
        this.config = config;
        this.keras3 = keras3;
        this.source = source;
        this.hdf = hdf;
        this.layers = layers;
    }

    /** True for a {@code Sequential} model, false for a functional one. */
    boolean isSequential() {
        return "Sequential".equals(config.path("class_name").asText(""));
    }

    /** A whole model: {@code .h5} (Keras 2) or {@code .keras} (Keras 3), told apart by their first bytes. */
    static KerasModelFile open(Path model) throws IOException {
        byte[] head = head(model);
        if (startsWith(head, ZIP_MAGIC)) {
            return openKeras3(model);
        }
        if (!startsWith(head, HDF5_MAGIC)) {
            throw new IOException(model + ": neither an HDF5 file (Keras 2's .h5) nor a zip (Keras 3's .keras): "
                    + "save the model with model.save(\"model.h5\") or model.save(\"model.keras\")");
        }
        HdfFile hdf = hdf(model);
        try {
            String json = stringAttribute(hdf, "model_config", model.toString());
            if (json == null) {
                throw new IOException(model + ": an HDF5 file without the attribute model_config: a file written by "
                        + "save_weights() holds no architecture: pass the model's JSON (model.to_json()) with it, or "
                        + "save the whole model with model.save(\"model.h5\")");
            }
            Node weights = hdf.getChild("model_weights");
            if (!(weights instanceof Group g)) {
                throw new IOException(model + ": no group model_weights: saved without weights?");
            }
            return new KerasModelFile(json(json, model + " (attribute model_config)"),
                    majorVersion(hdf, g) >= 3, model.toString(), hdf, g);
        } catch (IOException | RuntimeException e) {
            hdf.close();
            throw wrap(e, model.toString());
        }
    }

    /** Keras 2's {@code model.to_json()} and {@code model.save_weights("w.h5")}. */
    static KerasModelFile open(Path configJson, Path weightsH5) throws IOException {
        if (!Files.isRegularFile(configJson)) {
            throw new NoSuchFileException(configJson.toString(), null, "no such file: pass the JSON of model.to_json()");
        }
        if (Files.size(configJson) > MAX_CONFIG_BYTES) {
            throw new IOException(configJson + ": " + Files.size(configJson) + " bytes is no model configuration");
        }
        JsonNode config = json(utf8(Files.readAllBytes(configJson), configJson.toString()), configJson.toString());
        if (!startsWith(head(weightsH5), HDF5_MAGIC)) {
            throw new IOException(weightsH5 + ": not an HDF5 file: pass the file written by model.save_weights("
                    + "\"weights.h5\")");
        }
        HdfFile hdf = hdf(weightsH5);
        try {
            Group root = hdf;
            Node nested = hdf.getChild("model_weights");
            if (nested instanceof Group g) {   // a whole-model file works as the weights too
                root = g;
            }
            return new KerasModelFile(config, majorVersion(hdf, root) >= 3, configJson + " + " + weightsH5, hdf, root);
        } catch (RuntimeException e) {
            hdf.close();
            throw wrap(e, weightsH5.toString());
        }
    }

    private static KerasModelFile openKeras3(Path model) throws IOException {
        Map<String, byte[]> entries = BoundedZip.read(model, null, "a Keras 3 .keras file");
        byte[] config = entries.get("config.json");
        byte[] weights = entries.get("model.weights.h5");
        if (config == null || weights == null) {
            throw new IOException(model + ": a zip without " + (config == null ? "config.json" : "model.weights.h5")
                    + " (it holds " + entries.keySet() + "): not a Keras 3 model saved with model.save(\"m.keras\")");
        }
        if (!startsWith(weights, HDF5_MAGIC)) {
            throw new IOException(model + "!model.weights.h5: not an HDF5 file");
        }
        JsonNode json = json(utf8(config, model + "!config.json"), model + "!config.json");
        HdfFile hdf;
        try {
            hdf = HdfFile.fromBytes(weights);
        } catch (RuntimeException e) {
            throw wrap(e, model + "!model.weights.h5");
        }
        Node layers = hdf.getChild("layers");
        if (!(layers instanceof Group g)) {
            hdf.close();
            throw new IOException(model + "!model.weights.h5: no group 'layers': not the weights of a Keras 3 model");
        }
        return new KerasModelFile(json, true, model.toString(), hdf, g);
    }

    /**
     * The weights of layer {@code name} (Keras 2: the layer's name; Keras 3: the name its weights are saved under, see
     * {@code KerasImporter}) in the order Keras creates them (kernel, recurrent kernel, bias; a
     * Bidirectional's forward layer's, then its backward layer's); an empty list for a layer without weights.
     */
    List<Weight> weights(String name) throws IOException {
        try {
            Node node = layers.getChild(name);
            if (node == null) {
                return List.of();
            }
            if (!(node instanceof Group g)) {
                throw new IOException(source + ": the weights of layer '" + name + "' are not an HDF5 group");
            }
            List<Weight> out = new ArrayList<>();
            if (keras3) {
                collect(g, name, out);
            } else {
                String[] names = strings(g.getAttribute("weight_names"));
                if (names == null) {
                    return List.of();
                }
                for (String n : names) {
                    Node w;
                    try {
                        w = g.getByPath(n);
                    } catch (io.jhdf.exceptions.HdfInvalidPathException e) {
                        w = null;
                    }
                    if (!(w instanceof Dataset d)) {
                        throw new IOException(source + ": layer '" + name + "' lists the weight '" + n + "', which "
                                + "its group does not hold");
                    }
                    out.add(new Weight(name + "/" + n, d));
                }
            }
            return out;
        } catch (RuntimeException e) {
            throw wrap(e, source);
        }
    }

    /** Keras 3: the datasets under a layer's group, forward before backward, vars by their number. */
    private void collect(Group g, String path, List<Weight> out) {
        List<Node> children = new ArrayList<>(g.getChildren().values());
        children.sort(Comparator.comparing((Node n) -> rank(n.getName())).thenComparing(n -> number(n.getName()))
                .thenComparing(Node::getName));
        for (Node n : children) {
            if (n instanceof Dataset d) {
                out.add(new Weight(path + "/" + n.getName(), d));
            } else if (n instanceof Group c) {
                collect(c, path + "/" + n.getName(), out);
            }
        }
    }

    private static int rank(String name) {
        return switch (name) {
            case "forward_layer" -> 0;
            case "backward_layer" -> 1;
            default -> 2;
        };
    }

    private static long number(String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** One weight array, read only once its shape is known to be right. */
    record Weight(String path, Dataset dataset) {

        int[] shape() {
            return dataset.getDimensions();
        }

        /** The values, flat in C order, as doubles; the shape must have been checked. */
        double[] values() {
            Object flat = dataset.getDataFlat();
            if (flat instanceof float[] f) {
                double[] d = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    d[i] = f[i];
                }
                return d;
            }
            if (flat instanceof double[] d) {
                return d;
            }
            throw new IllegalArgumentException("weight '" + path + "' holds " + dataset.getJavaType()
                    + " values, expected float32 or float64");
        }
    }

    @Override
    public void close() {
        hdf.close();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static HdfFile hdf(Path file) throws IOException {
        try {
            return new HdfFile(file);
        } catch (RuntimeException e) {
            throw wrap(e, file.toString());
        }
    }

    private static byte[] head(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file: pass the model Keras saved "
                    + "(model.h5 or model.keras)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        }
    }

    private static boolean startsWith(byte[] b, byte[] magic) {
        return b.length >= magic.length && Arrays.equals(Arrays.copyOf(b, magic.length), magic);
    }

    static IOException wrap(Throwable e, String file) {
        if (e instanceof IOException io) {
            return io;
        }
        if (fromHdfReader(e)) {
            return new IOException(file + ": not a readable HDF5 file (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "): damaged, cut short, or not written by Keras", e);
        }
        return new IOException(file + ": the model cannot be built from its configuration (" + e.getClass()
                .getSimpleName() + ": " + e.getMessage() + "): it is inconsistent, or edited by hand", e);
    }

    /** True where the HDF5 reader (jHDF) threw {@code e}, or a cause of it. */
    private static boolean fromHdfReader(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("io.jhdf.")) {
                return true;
            }
            for (StackTraceElement f : t.getStackTrace()) {
                if (f.getClassName().startsWith("io.jhdf.")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The major Keras version whose definitions the file's functions follow (only {@code hard_sigmoid} differs): the
     * number before the first dot of {@code keras_version}; 2 for TensorFlow.js ({@code "tfjs-layers 4.22.0"}, whose
     * layers implement Keras 2's) and for an {@code .h5} file without a number, the format Keras 2 writes (Keras 3's
     * legacy {@code .h5} saving writes its "3.x").
     */
    private static int majorVersion(HdfFile hdf, Group weights) throws IOException {
        String v = stringAttribute(hdf, "keras_version", null);
        if (v == null) {
            v = stringAttribute(weights, "keras_version", null);
        }
        if (v == null) {
            return 2;
        }
        try {
            return Integer.parseInt(v.trim().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 2;
        }
    }

    private static String stringAttribute(Node node, String name, String file) throws IOException {
        Attribute a = node.getAttribute(name);
        if (a == null) {
            return null;
        }
        String[] s = strings(a);
        if (s == null || s.length != 1) {
            throw new IOException(file + ": the attribute " + name + " is not a string");
        }
        // jHDF decodes with replacement; a replacement character means bytes that are not UTF-8 (Keras writes its
        // JSON with every non-ASCII character escaped, so none comes from Keras itself)
        if (s[0].indexOf('\uFFFD') >= 0) {
            throw new IOException(file + ": the attribute " + name + " is not UTF-8 text: not written by Keras, or "
                    + "damaged");
        }
        return s[0];
    }

    /** A string or string-array attribute (fixed or variable length, str or bytes as h5py writes them). */
    private static String[] strings(Attribute a) {
        if (a == null) {
            return null;
        }
        Object data = a.getData();
        if (data instanceof String s) {
            return new String[]{s};
        }
        if (data instanceof String[] s) {
            return s;
        }
        if (data instanceof Object[] o) {
            String[] s = new String[o.length];
            for (int i = 0; i < o.length; i++) {
                s[i] = String.valueOf(o[i]);
            }
            return s;
        }
        return null;
    }

    private static String utf8(byte[] b, String what) throws IOException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(what + ": not UTF-8 text: not a Keras configuration");
        }
    }

    private static JsonNode json(String text, String what) throws IOException {
        try {
            JsonNode n = new ObjectMapper().readTree(text);
            if (n == null || !n.isObject()) {
                throw new IOException(what + ": not a JSON object: not a Keras model configuration");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IOException(what + ": malformed JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
    }
}
