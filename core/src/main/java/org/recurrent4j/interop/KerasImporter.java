package org.recurrent4j.interop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.recurrent4j.cells.Cell;
import org.recurrent4j.cells.Nonlinearity;
import org.recurrent4j.conf.ActivationHardSigmoidKeras3;
import org.recurrent4j.conf.ElmanRnn;
import org.recurrent4j.conf.Gru;
import org.recurrent4j.conf.KerasRecurrentOutput;
import org.recurrent4j.conf.KerasTimeDistributed;
import org.recurrent4j.conf.Lstm;
import org.recurrent4j.conf.RecurrentLayerConf;
import org.recurrent4j.conf.RequireMask;
import org.recurrent4j.conf.ReverseTime;
import org.recurrent4j.io.AtomicFiles;
import org.recurrent4j.layers.KerasRecurrentOutputLayer;
import org.recurrent4j.layers.RequireMaskLayer;

/**
 * Imports a Keras model of recurrent layers into DL4J, built from recurrent4j's layers: a {@code Sequential} model as
 * a {@link MultiLayerNetwork}, a functional one as a {@link ComputationGraph}, from tf.keras 2 / Keras 2 files
 * ({@code model.save("m.h5")}, or {@code model.to_json()} with {@code model.save_weights("w.h5")}) and Keras 3 files
 * ({@code model.save("m.keras")}).
 *
 * <pre>{@code
 * MultiLayerNetwork net = KerasImporter.importSequential(Path.of("tagger.keras"));
 * INDArray ids = ...;                                     // [batch, time] token ids, as the Keras model takes them
 * INDArray mask = KerasImporter.paddingMask(net, ids);    // [batch, time]; null where the model derives no mask
 * INDArray y = net.output(ids, false, mask, null);        // [batch, time, classes], what Keras' predict returns
 * }</pre>
 *
 * <p>The imported network takes what the Keras model takes: token ids {@code [batch, time]} after an
 * {@code Embedding}, else features {@code [batch, time, features]}; it returns what Keras returns
 * ({@code [batch, time, units]} for sequences, {@code [batch, units]} after a last step), all in DL4J's NWC layout.
 * Layers: {@code InputLayer}, {@code Embedding} (with {@code mask_zero}), {@code Masking}, {@code SimpleRNN},
 * {@code LSTM}, {@code GRU} ({@code reset_after} true and false), {@code Bidirectional} (merge modes concat, sum, mul,
 * ave), {@code Dense}, {@code TimeDistributed(Dense)}, {@code Dropout}; options {@code return_sequences},
 * {@code go_backwards}, {@code use_bias}, {@code activation} and {@code recurrent_activation} (tanh, sigmoid, relu,
 * linear, hard_sigmoid in the file's Keras version's definition; softmax too for a Dense layer). Anything else is
 * refused with an {@link IllegalArgumentException} naming the file, the layer and the option.
 *
 * <p>Keras derives a mask from the input ({@code mask_zero}: token id 0; {@code Masking}: a step whose features all
 * equal the mask value); DL4J takes a mask only from the caller, so pass {@link #paddingMask}'s with the input. A batch
 * with padding and no mask is refused at the first layer, never read as data. Training options of Keras' layers
 * (initialisers, regularisers, constraints, the recurrent layers' dropout) do not change a prediction and are not
 * imported; a {@code Dropout} layer is, as DL4J's {@code DropoutLayer}.
 */
public final class KerasImporter {

    private KerasImporter() {
    }

    /**
     * Imports a Keras {@code Sequential} model ({@code .h5} or {@code .keras}).
     *
     * @throws IOException              the file is missing, unreadable, or not a Keras model, naming it
     * @throws IllegalArgumentException a layer or option is not supported, naming the layer and the option
     */
    public static MultiLayerNetwork importSequential(Path model) throws IOException {
        try (KerasModelFile f = KerasModelFile.open(model)) {
            return translated(f, () -> new Translation(f, false).multiLayerNetwork());
        }
    }

    /** As {@link #importSequential(Path)}, from Keras 2's {@code model.to_json()} and {@code save_weights(...)}. */
    public static MultiLayerNetwork importSequential(Path modelJson, Path weightsH5) throws IOException {
        try (KerasModelFile f = KerasModelFile.open(modelJson, weightsH5)) {
            return translated(f, () -> new Translation(f, false).multiLayerNetwork());
        }
    }

    /**
     * Imports a functional Keras model (or a {@code Sequential} one) as a graph: one input, one or more outputs,
     * vertices named after the Keras layers.
     *
     * @throws IOException              the file is missing, unreadable, or not a Keras model, naming it
     * @throws IllegalArgumentException a layer or option is not supported, naming the layer and the option
     */
    public static ComputationGraph importFunctional(Path model) throws IOException {
        try (KerasModelFile f = KerasModelFile.open(model)) {
            return translated(f, () -> new Translation(f, true).computationGraph());
        }
    }

    /** As {@link #importFunctional(Path)}, from Keras 2's {@code model.to_json()} and {@code save_weights(...)}. */
    public static ComputationGraph importFunctional(Path modelJson, Path weightsH5) throws IOException {
        try (KerasModelFile f = KerasModelFile.open(modelJson, weightsH5)) {
            return translated(f, () -> new Translation(f, true).computationGraph());
        }
    }

    /**
     * Imports a model, a {@code Sequential} one as a {@link MultiLayerNetwork}, a functional one as a
     * {@link ComputationGraph}, and writes it with DL4J's {@code ModelSerializer} to {@code out} atomically: on any
     * error no file is left there.
     *
     * @throws IOException also where {@code out} is the model file itself, or not a regular file
     */
    public static Model importToFile(Path model, Path out) throws IOException {
        AtomicFiles.requireDistinct(out, model);
        try (KerasModelFile f = KerasModelFile.open(model)) {
            return write(f, out);
        }
    }

    /** As {@link #importToFile(Path, Path)}, from Keras 2's {@code model.to_json()} and {@code save_weights(...)}. */
    public static Model importToFile(Path modelJson, Path weightsH5, Path out) throws IOException {
        AtomicFiles.requireDistinct(out, modelJson, weightsH5);
        try (KerasModelFile f = KerasModelFile.open(modelJson, weightsH5)) {
            return write(f, out);
        }
    }

    private static Model write(KerasModelFile f, Path out) throws IOException {
        Model net = translated(f, () -> {
            Translation t = new Translation(f, !f.isSequential());
            return f.isSequential() ? t.multiLayerNetwork() : t.computationGraph();
        });
        AtomicFiles.write(out, tmp -> ModelSerializer.writeModel(net, tmp.toFile(), false));
        return net;
    }

    /**
     * The features mask Keras derives from {@code input} for an imported network: {@code [batch, time]}, 1 for a real
     * step, 0 for padding (token id 0 after {@code Embedding(mask_zero=True)}; a step whose features all equal the
     * {@code Masking} value). Null where the model derives no mask.
     */
    public static INDArray paddingMask(Model net, INDArray input) {
        org.deeplearning4j.nn.api.Layer[] layers = net instanceof MultiLayerNetwork m ? m.getLayers()
                : ((ComputationGraph) net).getLayers();
        for (org.deeplearning4j.nn.api.Layer l : layers) {
            if (l.conf().getLayer() instanceof RequireMask r) {
                return RequireMaskLayer.paddingMask(input, r);
            }
        }
        return null;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws IOException;
    }

    /**
     * Runs a translation; a failure of the HDF5 reader on a damaged file (jHDF throws unchecked exceptions of its own
     * and of the JDK's buffers), or of DL4J on a configuration that does not hold together, becomes an
     * {@link IOException} naming the file and saying which. The importer's own refusals pass.
     */
    private static <T> T translated(KerasModelFile f, Work<T> work) throws IOException {
        try {
            return work.run();
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(f.source)) {
                throw e;
            }
            throw KerasModelFile.wrap(e, f.source);
        } catch (RuntimeException e) {
            throw KerasModelFile.wrap(e, f.source);
        } catch (LinkageError e) {   // a library the HDF5 reader loads for a filter, missing from the classpath
            throw new IOException(f.source + ": the HDF5 reader cannot read it (" + e + "): a library of jHDF's is "
                    + "missing from the classpath", e);
        }
    }

    // ------------------------------------------------------------------------------------------ the translation

    /** What flows between layers. */
    private enum Kind { TOKENS, SEQUENCE, VECTOR }

    /** One DL4J layer of an imported Keras layer, and how its parameters get their values. */
    private record Step(String name, Layer layer, WeightSetter weights) {
    }

    @FunctionalInterface
    private interface WeightSetter {
        void set(Map<String, INDArray> params);
    }

    /** A Keras layer as the configuration names it. */
    private record KLayer(String name, String cls, JsonNode config, String inbound) {
    }

    private static final Set<String> SUPPORTED = Set.of("InputLayer", "Embedding", "Masking", "SimpleRNN", "LSTM",
            "GRU", "Bidirectional", "Dense", "TimeDistributed", "Dropout");

    private static final class Translation {
        private final KerasModelFile file;
        private final boolean graph;
        private final String source;
        private final List<KLayer> layers = new ArrayList<>();
        private final List<String> outputs = new ArrayList<>();
        /** Layer name -> the group its weights are under (Keras 3 names them by class, not by layer name). */
        private final Map<String, String> weightGroups = new HashMap<>();
        /** Embedding step -> its vocabulary: DL4J's input types overwrite an embedding's nIn with the input's 1. */
        private final Map<String, Long> vocabularies = new HashMap<>();
        private String inputName = "input";
        private InputType inputType;
        private DataType dataType = DataType.FLOAT;

        // the state of the chain being translated
        private Kind kind;
        private long features;
        private long steps;
        private boolean masked;
        /** The keep probability of Dropout layers not yet given to a layer (1: none). */
        private double retain = 1.0;

        Translation(KerasModelFile file, boolean graph) throws IOException {
            this.file = file;
            this.graph = graph;
            this.source = file.source;
            parse();
        }

        // -------------------------------------------------------------------------------------- configuration

        private void parse() {
            parseLayers();
            // Keras 3's saving_lib names each saved layer by its class in snake case, numbered from the second of a
            // class on (lstm, lstm_1, ...), over the model's layers: a Sequential model's without its InputLayer
            Map<String, Integer> used = new HashMap<>();
            boolean sequential = file.isSequential();
            for (int i = 0; i < layers.size(); i++) {
                KLayer l = layers.get(i);
                if (!file.keras3) {
                    weightGroups.put(l.name(), l.name());
                    continue;
                }
                if (sequential && i == 0 && l.cls().equals("InputLayer")) {
                    continue;
                }
                String base = snakeCase(l.cls());
                int n = used.merge(base, 1, Integer::sum);
                weightGroups.put(l.name(), n == 1 ? base : base + "_" + (n - 1));
            }
        }

        /** Keras' {@code naming.to_snake_case}: "SimpleRNN" -> "simple_rnn", "TimeDistributed" -> "time_distributed". */
        static String snakeCase(String name) {
            String s = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
            return s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }

        private void parseLayers() {
            JsonNode root = file.config;
            String cls = root.path("class_name").asText("");
            JsonNode cfg = root.path("config");
            if (cls.equals("Sequential")) {
                JsonNode list = cfg.isArray() ? cfg : cfg.path("layers");   // Keras 2.0 wrote the list directly
                String prev = null;
                for (JsonNode l : list) {
                    KLayer k = layer(l, prev);
                    layers.add(k);
                    prev = k.name();
                }
                if (prev == null) {
                    throw refuse("the Sequential model has no layers");
                }
                outputs.add(prev);
                if (!graph) {
                    return;
                }
            } else if (cls.equals("Functional") || cls.equals("Model")) {
                if (!graph) {
                    throw refuse("a functional model (class " + cls + "): import it with "
                            + "KerasImporter.importFunctional, which builds a ComputationGraph");
                }
                for (JsonNode l : cfg.path("layers")) {
                    layers.add(layer(l, inbound(l)));
                }
                List<String> ins = tensorNames(cfg.path("input_layers"), "input_layers");
                if (ins.size() != 1) {
                    throw refuse("the model has " + ins.size() + " inputs " + ins + "; the importer takes one");
                }
                outputs.addAll(tensorNames(cfg.path("output_layers"), "output_layers"));
                if (outputs.isEmpty()) {
                    throw refuse("the model names no output_layers");
                }
            } else {
                throw refuse("the model is a '" + cls + "'; the importer takes Sequential and functional models "
                        + "(a subclassed model has no configuration to import)");
            }
        }

        private KLayer layer(JsonNode l, String inbound) {
            String cls = l.path("class_name").asText("");
            JsonNode cfg = l.path("config");
            String name = cfg.path("name").asText(l.path("name").asText(""));
            if (name.isEmpty()) {
                throw refuse("a layer of class '" + cls + "' has no name");
            }
            String module = l.path("module").asText("");
            if (!SUPPORTED.contains(cls) || (!module.isEmpty() && !module.startsWith("keras"))
                    || (l.hasNonNull("registered_name") && !l.get("registered_name").asText().equals(cls))) {
                throw refuse("layer '" + name + "' is a " + cls + (module.isEmpty() || module.startsWith("keras")
                        ? "" : " from module '" + module + "' (a custom object)") + ": not supported. The importer "
                        + "takes " + String.join(", ", new java.util.TreeSet<>(SUPPORTED)));
            }
            return new KLayer(name, cls, cfg, inbound);
        }

        /** The one layer feeding a functional layer, from Keras 2's or Keras 3's {@code inbound_nodes}. */
        private String inbound(JsonNode l) {
            JsonNode nodes = l.path("inbound_nodes");
            String name = l.path("name").asText(l.path("config").path("name").asText("?"));
            if (nodes.isMissingNode() || nodes.isEmpty()) {
                return null;
            }
            if (nodes.size() != 1) {
                throw refuse("layer '" + name + "' is called " + nodes.size() + " times (a shared layer): not "
                        + "supported");
            }
            JsonNode node = nodes.get(0);
            List<String> from = new ArrayList<>();
            if (node.isArray()) {   // Keras 2: [[name, node index, tensor index, kwargs], ...]
                for (JsonNode t : node) {
                    from.add(t.get(0).asText());
                }
            } else {   // Keras 3: {"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": [...]}}]}
                for (JsonNode a : node.path("args")) {
                    collectHistory(a, from);
                }
            }
            if (from.size() != 1) {
                throw refuse("layer '" + name + "' takes " + from.size() + " inputs " + from + ": merging layers are "
                        + "not supported");
            }
            return from.get(0);
        }

        private static void collectHistory(JsonNode n, List<String> out) {
            if (n.isObject() && n.has("keras_history")) {
                out.add(n.get("keras_history").get(0).asText());
            } else if (n.isContainerNode()) {
                for (JsonNode c : n) {
                    collectHistory(c, out);
                }
            }
        }

        /** {@code [[name, 0, 0], ...]} or Keras 3's single {@code [name, 0, 0]}. */
        private List<String> tensorNames(JsonNode n, String what) {
            List<String> out = new ArrayList<>();
            if (n.isArray() && n.size() > 0 && n.get(0).isTextual()) {
                out.add(n.get(0).asText());
            } else if (n.isArray()) {
                for (JsonNode t : n) {
                    out.add(t.get(0).asText());
                }
            } else if (!n.isMissingNode()) {
                throw refuse(what + " is not a list of layer names");
            }
            return out;
        }

        private IllegalArgumentException refuse(String what) {
            return new IllegalArgumentException(source + ": " + what);
        }

        private IllegalArgumentException refuse(KLayer l, String what) {
            return new IllegalArgumentException(source + ": layer '" + l.name() + "' (" + l.cls() + "): " + what);
        }

        // ---------------------------------------------------------------------------------------- networks

        MultiLayerNetwork multiLayerNetwork() throws IOException {
            List<Step> chain = new ArrayList<>();
            for (KLayer l : layers) {
                chain.addAll(translate(l));
            }
            NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(dataType).list();
            for (Step s : chain) {
                list.layer(s.layer());
            }
            // every nIn is set from the Keras configuration; DL4J's would make an embedding's vocabulary the input's 1
            list.setInputType(inputType);
            list.overrideNinUponBuild(false);
            MultiLayerConfiguration conf = list.build();
            MultiLayerNetwork net = new MultiLayerNetwork(conf);
            net.init();
            for (int i = 0; i < chain.size(); i++) {
                chain.get(i).weights().set(net.getLayer(i).paramTable());
            }
            return net;
        }

        ComputationGraph computationGraph() throws IOException {
            Map<String, String> last = new HashMap<>();   // Keras layer -> its last vertex
            Map<String, KLayer> byName = new LinkedHashMap<>();
            for (KLayer l : layers) {
                byName.put(l.name(), l);
            }
            // DL4J's TimeDistributed fails inside a graph with workspaces on (its inner layer's input is leveraged to a
            // workspace the graph has not opened): an imported graph runs without them
            ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder().dataType(dataType)
                    .trainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE)
                    .inferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.NONE).graphBuilder();
            List<Step> all = new ArrayList<>();
            // the layers in an order where each comes after its input (Keras lists them so)
            Map<String, State> states = new HashMap<>();
            for (KLayer l : layers) {
                if (l.inbound() != null) {
                    State in = states.get(l.inbound());
                    if (in == null) {
                        throw refuse(l, "its input '" + l.inbound() + "' is not a layer before it");
                    }
                    restore(in);
                } else if (!l.cls().equals("InputLayer")) {
                    if (!file.isSequential() || l != layers.get(0)) {
                        throw refuse(l, "takes no input and is no InputLayer");
                    }
                    // a Sequential model without an InputLayer (Keras 2.0-2.2, TensorFlow.js): its first layer names
                    // the input shape (translate reads it); Keras names the input it makes "<first layer>_input"
                    inputName = l.name() + "_input";
                    g.addInputs(inputName);
                }
                List<Step> steps = translate(l);
                if (l.cls().equals("InputLayer")) {
                    inputName = l.name();
                    g.addInputs(inputName);
                    last.put(l.name(), inputName);
                } else {
                    String from = l.inbound() == null ? inputName : last.get(l.inbound());
                    for (int i = 0; i < steps.size(); i++) {
                        Step s = steps.get(i);
                        g.addLayer(s.name(), s.layer(), from);
                        from = s.name();
                    }
                    last.put(l.name(), from);
                    all.addAll(steps);
                }
                states.put(l.name(), save());
            }
            if (inputType == null) {
                throw refuse("the model has no InputLayer");
            }
            String[] outs = new String[outputs.size()];
            for (int i = 0; i < outs.length; i++) {
                String v = last.get(outputs.get(i));
                if (v == null) {
                    throw refuse("the output '" + outputs.get(i) + "' is not a layer of the model");
                }
                if (v.equals(inputName)) {
                    throw refuse("the output '" + outputs.get(i) + "' is the input itself");
                }
                outs[i] = v;
            }
            g.setOutputs(outs);
            g.setInputTypes(inputType);
            ComputationGraphConfiguration conf = g.build();
            vocabularies.forEach((name, vocab) -> ((EmbeddingSequenceLayer) ((org.deeplearning4j.nn.conf.graph
                    .LayerVertex) conf.getVertices().get(name)).getLayerConf().getLayer()).setNIn(vocab));
            ComputationGraph net = new ComputationGraph(conf);
            net.init();
            for (Step s : all) {
                s.weights().set(net.getLayer(s.name()).paramTable());
            }
            return net;
        }

        private record State(Kind kind, long features, long steps, boolean masked, double retain) {
        }

        private State save() {
            return new State(kind, features, steps, masked, retain);
        }

        private void restore(State s) {
            kind = s.kind();
            features = s.features();
            steps = s.steps();
            masked = s.masked();
            retain = s.retain();
        }

        /** Gives the pending Dropout to {@code layer}, as DL4J's dropout of its input. */
        private <L extends Layer> L withDropout(L layer) {
            if (retain < 1.0) {
                layer.setIDropout(new org.deeplearning4j.nn.conf.dropout.Dropout(retain));
                retain = 1.0;
            }
            return layer;
        }

        // ---------------------------------------------------------------------------------------- layers

        private List<Step> translate(KLayer l) throws IOException {
            if (!l.cls().equals("InputLayer") && kind == null) {
                inferInput(l);
            }
            List<Step> steps = switch (l.cls()) {
                case "InputLayer" -> {
                    input(l, l.config().has("batch_shape") ? l.config().get("batch_shape")
                            : l.config().has("batch_input_shape") ? l.config().get("batch_input_shape")
                            : l.config().path("input_shape"), l.config().path("dtype"));
                    if (bool(l, l.config(), "sparse", false) || bool(l, l.config(), "ragged", false)) {
                        throw refuse(l, "a sparse or ragged input is not supported");
                    }
                    yield List.of();
                }
                case "Embedding" -> embedding(l);
                case "Masking" -> masking(l);
                case "Dropout" -> dropout(l);
                case "SimpleRNN", "LSTM", "GRU" -> recurrent(l, l.cls(), l.config());
                case "Bidirectional" -> bidirectional(l);
                case "Dense" -> dense(l, l.config(), false);
                case "TimeDistributed" -> timeDistributed(l);
                default -> throw refuse(l, "not supported");
            };
            noWeightsExpected(l, steps);
            return steps;
        }

        /** A Sequential model without an InputLayer: its first layer names the input shape. */
        private void inferInput(KLayer l) {
            JsonNode c = l.config();
            JsonNode shape = c.has("batch_input_shape") ? c.get("batch_input_shape")
                    : c.has("batch_shape") ? c.get("batch_shape") : c.path("build_config").path("input_shape");
            if (shape.isMissingNode()) {
                shape = file.config.path("config").path("build_input_shape");
            }
            if (shape.isMissingNode() || !shape.isArray()) {
                throw refuse(l, "the model has no InputLayer and this first layer names no input shape: build the "
                        + "model with an Input (keras.Input(shape=...)) before saving");
            }
            input(l, shape, c.path("dtype"));
        }

        private void input(KLayer l, JsonNode shape, JsonNode dtype) {
            if (!shape.isArray() || shape.size() < 2 || shape.size() > 3) {
                throw refuse(l, "input shape " + shape + ": the importer takes [batch, time] token ids or "
                        + "[batch, time, features]");
            }
            for (int i = 1; i < shape.size(); i++) {
                JsonNode d = shape.get(i);
                if (!d.isNull() && (!d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > Integer.MAX_VALUE)) {
                    throw refuse(l, "input shape " + shape + ": dimension " + i + " is not a positive integer");
                }
            }
            steps = shape.get(1).isNull() ? -1 : shape.get(1).asLong();
            String dt = dtype.isObject() ? dtype.path("config").path("name").asText("float32") : dtype.asText("");
            if (dt.equals("float64")) {
                dataType = DataType.DOUBLE;
            }
            if (shape.size() == 2) {
                kind = Kind.TOKENS;
                features = 1;
                inputType = InputType.recurrent(1, steps < 0 ? 0 : steps, RNNFormat.NCW);
            } else {
                if (shape.get(2).isNull()) {
                    throw refuse(l, "input shape " + shape + ": the number of features must be known");
                }
                kind = Kind.SEQUENCE;
                features = shape.get(2).asLong();
                inputType = steps < 0 ? InputType.recurrent(features, RNNFormat.NWC)
                        : InputType.recurrent(features, steps, RNNFormat.NWC);
            }
        }

        private List<Step> embedding(KLayer l) throws IOException {
            JsonNode c = l.config();
            if (kind != Kind.TOKENS) {
                throw refuse(l, "an Embedding must take the model's token ids [batch, time]; here it takes " + kind);
            }
            refuseIf(l, c.path("lora_rank").asInt(0) > 0, "lora_rank", c.path("lora_rank"), "LoRA weights");
            refuseIf(l, bool(l, c, "sparse", false), "sparse", c.path("sparse"), "sparse gradients");
            long vocab = positive(l, c, "input_dim");
            long dim = positive(l, c, "output_dim");
            List<Step> out = new ArrayList<>();
            if (bool(l, c, "mask_zero", false)) {
                out.add(new Step(l.name() + "/mask", named(RequireMask.tokenIdZero(), l.name() + "/mask"), p -> { }));
                masked = true;
            }
            List<KerasModelFile.Weight> w = weights(l, 1);
            expect(l, w.get(0), vocab, dim);
            EmbeddingSequenceLayer e = new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(dim).hasBias(false)
                    .inferInputLength(true).outputDataFormat(RNNFormat.NWC).activation(new ActivationIdentity())
                    .name(l.name()).build();
            out.add(new Step(l.name(), e, p -> p.get("W").assign(array(l, w.get(0), vocab, dim))));
            vocabularies.put(l.name(), vocab);
            kind = Kind.SEQUENCE;
            features = dim;
            return out;
        }

        private List<Step> masking(KLayer l) {
            requireSequence(l);
            masked = true;
            double value = l.config().path("mask_value").asDouble(0.0);
            return List.of(new Step(l.name(), named(RequireMask.featuresEqualTo(value, RNNFormat.NWC), l.name()),
                    p -> { }));
        }

        private List<Step> dropout(KLayer l) {
            JsonNode c = l.config();
            refuseIf(l, c.hasNonNull("noise_shape"), "noise_shape", c.path("noise_shape"), "dropout shared across "
                    + "axes");
            double rate = c.path("rate").asDouble(0.0);
            if (rate < 0 || rate >= 1) {
                throw refuse(l, "rate " + rate + " is not in [0, 1)");
            }
            if (kind == Kind.TOKENS) {
                throw refuse(l, "a Dropout on token ids: not supported");
            }
            if (rate > 0) {   // DL4J's input dropout of the next layer with weights: the same, and mask-transparent
                retain = retain * (1.0 - rate);
            }
            return List.of();
        }

        private List<Step> recurrent(KLayer l, String cls, JsonNode c) throws IOException {
            requireSequence(l);
            checkRecurrentOptions(l, c);
            boolean backwards = bool(l, c, "go_backwards", false);
            boolean sequences = bool(l, c, "return_sequences", false);
            boolean zeroOutput = bool(l, c, "zero_output_for_mask", false);
            List<Step> out = new ArrayList<>();
            if (backwards) {
                out.add(new Step(l.name() + "/reverse", named(new ReverseTime(true, true, RNNFormat.NWC),
                        l.name() + "/reverse"), p -> { }));
            }
            RecurrentLayerConf conf = cell(l, cls, c, false);
            long units = conf.getNOut();
            List<KerasModelFile.Weight> w = weights(l, Boolean.TRUE.equals(conf.isHasBias()) ? 3 : 2);
            expectCell(l, cls, c, conf, w);
            out.add(new Step(l.name(), withDropout(conf), p -> assignCell(l, cls, c, conf, w, p, false)));
            if (!sequences || masked) {
                out.add(new Step(l.name() + "/output", named(new KerasRecurrentOutput(1,
                        KerasRecurrentOutputLayer.Merge.CONCAT, sequences, zeroOutput, backwards, RNNFormat.NWC),
                        l.name() + "/output"), p -> { }));
            }
            kind = sequences ? Kind.SEQUENCE : Kind.VECTOR;
            features = units;
            masked = masked && sequences;
            return out;
        }

        private List<Step> bidirectional(KLayer l) throws IOException {
            requireSequence(l);
            JsonNode c = l.config();
            String mergeMode = c.path("merge_mode").isNull() ? null : c.path("merge_mode").asText("concat");
            if (mergeMode == null) {
                throw refuse(l, "merge_mode None returns the two directions as two outputs: not supported; the "
                        + "importer takes concat, sum, mul, ave");
            }
            KerasRecurrentOutputLayer.Merge merge = switch (mergeMode) {
                case "concat" -> KerasRecurrentOutputLayer.Merge.CONCAT;
                case "sum" -> KerasRecurrentOutputLayer.Merge.SUM;
                case "mul" -> KerasRecurrentOutputLayer.Merge.MUL;
                case "ave" -> KerasRecurrentOutputLayer.Merge.AVERAGE;
                default -> throw refuse(l, "merge_mode '" + mergeMode + "' is not one of concat, sum, mul, ave");
            };
            JsonNode inner = c.path("layer");
            String cls = inner.path("class_name").asText("");
            JsonNode ic = inner.path("config");
            if (!Set.of("SimpleRNN", "LSTM", "GRU").contains(cls)) {
                throw refuse(l, "it wraps a " + cls + ": the importer takes Bidirectional(SimpleRNN | LSTM | GRU)");
            }
            if (bool(l, ic, "go_backwards", false)) {
                throw refuse(l, "its layer has go_backwards=True: not supported (the forward layer of a "
                        + "Bidirectional reads forwards)");
            }
            JsonNode back = c.path("backward_layer");
            if (!back.isMissingNode() && !back.isNull()) {
                sameExceptDirection(l, cls, ic, back);
            }
            checkRecurrentOptions(l, ic);
            boolean sequences = bool(l, ic, "return_sequences", false);
            RecurrentLayerConf conf = cell(l, cls, ic, true);
            long units = conf.getNOut();
            int per = conf.isHasBias() ? 3 : 2;
            List<KerasModelFile.Weight> w = weights(l, 2 * per);
            expectCell(l, cls, ic, conf, w.subList(0, per));
            expectCell(l, cls, ic, conf, w.subList(per, 2 * per));
            List<Step> out = new ArrayList<>();
            out.add(new Step(l.name(), withDropout(conf), p -> {
                assignCell(l, cls, ic, conf, w.subList(0, per), p, false);
                assignCell(l, cls, ic, conf, w.subList(per, 2 * per), p, true);
            }));
            if (!sequences || merge != KerasRecurrentOutputLayer.Merge.CONCAT) {
                out.add(new Step(l.name() + "/output", named(new KerasRecurrentOutput(2, merge, sequences, true,
                        false, RNNFormat.NWC), l.name() + "/output"), p -> { }));
            }
            kind = sequences ? Kind.SEQUENCE : Kind.VECTOR;
            features = merge == KerasRecurrentOutputLayer.Merge.CONCAT ? 2 * units : units;
            masked = masked && sequences;
            return out;
        }

        /** Keras 3 saves the backward layer's configuration: it must be the forward one's, reading backwards. */
        private void sameExceptDirection(KLayer l, String cls, JsonNode forward, JsonNode back) {
            if (!back.path("class_name").asText("").equals(cls)) {
                throw refuse(l, "its backward_layer is a " + back.path("class_name").asText() + ", its layer a " + cls
                        + ": a custom backward layer is not supported");
            }
            JsonNode bc = back.path("config");
            Iterator<String> names = forward.fieldNames();
            Set<String> keys = new java.util.TreeSet<>();
            names.forEachRemaining(keys::add);
            bc.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                if (k.equals("name") || k.equals("go_backwards") || k.equals("zero_output_for_mask")) {
                    continue;
                }
                if (!java.util.Objects.equals(forward.get(k), bc.get(k))) {
                    throw refuse(l, "its backward_layer differs from its layer in '" + k + "' (" + bc.get(k)
                            + " against " + forward.get(k) + "): a custom backward layer is not supported");
                }
            }
        }

        private void checkRecurrentOptions(KLayer l, JsonNode c) {
            refuseIf(l, bool(l, c, "stateful", false), "stateful", c.path("stateful"),
                    "states carried between batches");
            refuseIf(l, bool(l, c, "return_state", false), "return_state", c.path("return_state"),
                    "the final states as extra outputs");
            refuseIf(l, bool(l, c, "time_major", false), "time_major", c.path("time_major"),
                    "[time, batch, features] inputs");
            if (c.has("cell") && !c.path("cell").isNull()) {
                throw refuse(l, "option 'cell': an RNN around a custom cell is not supported");
            }
        }

        /** The recurrent4j layer of a Keras SimpleRNN, LSTM or GRU. */
        private RecurrentLayerConf cell(KLayer l, String cls, JsonNode c, boolean bidirectional) {
            long units = positive(l, c, "units");
            boolean bias = bool(l, c, "use_bias", true);
            Nonlinearity a = nonlinearity(l, c, "activation", "tanh");
            RecurrentLayerConf conf = switch (cls) {
                case "SimpleRNN" -> new ElmanRnn.Builder().activation(a).nIn(features).nOut(units).hasBias(bias)
                        .bidirectional(bidirectional).dataFormat(RNNFormat.NWC).name(l.name()).build();
                case "LSTM" -> new Lstm.Builder().activation(a)
                        .gateActivation(nonlinearity(l, c, "recurrent_activation", "sigmoid")).nIn(features)
                        .nOut(units).hasBias(bias).bidirectional(bidirectional).dataFormat(RNNFormat.NWC)
                        .name(l.name()).build();
                case "GRU" -> new Gru.Builder().resetAfter(resetAfter(l, cls, c)).activation(a)
                        .gateActivation(nonlinearity(l, c, "recurrent_activation", "sigmoid")).nIn(features)
                        .nOut(units).hasBias(bias).bidirectional(bidirectional).dataFormat(RNNFormat.NWC)
                        .name(l.name()).build();
                default -> throw refuse(l, "not a recurrent layer");
            };
            return conf;
        }

        private Nonlinearity nonlinearity(KLayer l, JsonNode c, String option, String dflt) {
            JsonNode n = c.path(option);
            // Keras' activations.get(None) is linear: null in the file means linear, not the default
            String f = n.isMissingNode() ? dflt : n.isNull() ? "linear" : n.isTextual() ? n.asText() : null;
            if (f == null) {
                throw refuse(l, "option '" + option + "' = " + n + " is a custom activation: not supported");
            }
            return switch (f) {
                case "tanh" -> Nonlinearity.TANH;
                case "sigmoid" -> Nonlinearity.SIGMOID;
                case "relu" -> Nonlinearity.RELU;
                case "linear" -> Nonlinearity.IDENTITY;
                case "hard_sigmoid" -> file.keras3 ? Nonlinearity.HARD_SIGMOID : Nonlinearity.HARD_SIGMOID_KERAS2;
                default -> throw refuse(l, "option '" + option + "' = '" + f + "' is not supported in a recurrent "
                        + "cell; the importer takes tanh, sigmoid, relu, linear, hard_sigmoid");
            };
        }

        /**
         * One direction's weights, in Keras' layout: {@code kernel [in, G*U]}, {@code recurrent_kernel [U, G*U]},
         * {@code bias} ({@code [G*U]}, the GRU with reset_after {@code [2, 3U]}: input and recurrent bias). Keras'
         * LSTM blocks i|f|c|o are recurrent4j's i|f|g|o; its GRU's z|r|h become r|z|n.
         */
        private void assignCell(KLayer l, String cls, JsonNode c, RecurrentLayerConf conf,
                                List<KerasModelFile.Weight> w, Map<String, INDArray> p, boolean reverse) {
            Cell cell = conf.cell();
            long u = conf.getNOut();
            int g = cell.gates();
            INDArray kernel = array(l, w.get(0), features(conf), g * u);
            INDArray recurrent = array(l, w.get(1), u, g * u);
            boolean gru = cls.equals("GRU");
            boolean resetAfter = resetAfter(l, cls, c);
            INDArray bias = null;
            INDArray recurrentBias = null;
            if (conf.isHasBias()) {
                if (resetAfter) {
                    INDArray both = array(l, w.get(2), 2, g * u);
                    bias = both.getRow(0).reshape(1, g * u).dup();
                    recurrentBias = both.getRow(1).reshape(1, g * u).dup();
                } else {
                    bias = array(l, w.get(2), g * u).reshape(1, g * u);
                }
            }
            if (gru) {
                kernel = zrToRz(kernel, u);
                recurrent = zrToRz(recurrent, u);
                bias = bias == null ? null : zrToRz(bias, u);
                recurrentBias = recurrentBias == null ? null : zrToRz(recurrentBias, u);
            }
            p.get(Cell.key(Cell.WEIGHT_KEY, reverse)).assign(kernel);
            p.get(Cell.key(Cell.RECURRENT_WEIGHT_KEY, reverse)).assign(recurrent);
            if (bias != null) {
                INDArray b = p.get(Cell.key(Cell.BIAS_KEY, reverse));
                b.assign(bias);
                if (gru) {
                    INDArray rb = p.get(Cell.key(Cell.RECURRENT_BIAS_KEY, reverse));
                    if (recurrentBias == null) {   // reset_after=False: Keras has one bias, inside the candidate
                        rb.assign(0);
                    } else {   // the gates' two biases add; the candidate's recurrent one stays inside r*(...)
                        b.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2 * u))
                                .addi(recurrentBias.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0),
                                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2 * u)));
                        rb.assign(recurrentBias.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 0, true),
                                org.nd4j.linalg.indexing.NDArrayIndex.interval(2 * u, 3 * u)));
                    }
                }
            }
        }

        /**
         * A GRU's {@code reset_after}: as the file says; where it does not say, false, the only form of the Keras
         * versions before the option (2.1.x and older), since every version that has it writes it.
         */
        private boolean resetAfter(KLayer l, String cls, JsonNode c) {
            return cls.equals("GRU") && bool(l, c, "reset_after", false);
        }

        private static long features(RecurrentLayerConf conf) {
            return conf.getNIn();
        }

        /** Column blocks z|r|h (Keras' GRU) as r|z|h. */
        private static INDArray zrToRz(INDArray a, long u) {
            INDArray out = a.dup();
            var all = org.nd4j.linalg.indexing.NDArrayIndex.all();
            out.get(all, org.nd4j.linalg.indexing.NDArrayIndex.interval(0, u))
                    .assign(a.get(all, org.nd4j.linalg.indexing.NDArrayIndex.interval(u, 2 * u)));
            out.get(all, org.nd4j.linalg.indexing.NDArrayIndex.interval(u, 2 * u))
                    .assign(a.get(all, org.nd4j.linalg.indexing.NDArrayIndex.interval(0, u)));
            return out;
        }

        private List<Step> timeDistributed(KLayer l) throws IOException {
            JsonNode inner = l.config().path("layer");
            String cls = inner.path("class_name").asText("");
            if (!cls.equals("Dense")) {
                throw refuse(l, "it wraps a " + (cls.isEmpty() ? "layer without class_name" : cls)
                        + ": the importer takes TimeDistributed(Dense)");
            }
            requireSequence(l);
            return dense(l, inner.path("config"), true);
        }

        private List<Step> dense(KLayer l, JsonNode c, boolean distributed) throws IOException {
            if (kind == Kind.TOKENS) {
                throw refuse(l, "a Dense layer on token ids: not supported (put an Embedding first)");
            }
            refuseIf(l, c.path("lora_rank").asInt(0) > 0, "lora_rank", c.path("lora_rank"), "LoRA weights");
            long units = positive(l, c, "units");
            boolean bias = bool(l, c, "use_bias", true);
            IActivation a = denseActivation(l, c);
            List<KerasModelFile.Weight> w = weights(l, bias ? 2 : 1);
            long in = features;
            expect(l, w.get(0), in, units);
            if (bias) {
                expect(l, w.get(1), units);
            }
            DenseLayer d = withDropout(new DenseLayer.Builder().nIn(in).nOut(units).hasBias(bias).activation(a)
                    .name(l.name()).build());
            Layer layer = kind == Kind.SEQUENCE ? new KerasTimeDistributed(d, RNNFormat.NWC) : d;
            if (kind == Kind.SEQUENCE) {
                layer.setLayerName(l.name());
            }
            features = units;
            return List.of(new Step(l.name(), layer, p -> {
                p.get("W").assign(array(l, w.get(0), in, units));
                if (bias) {
                    p.get("b").assign(array(l, w.get(1), units).reshape(1, units));
                }
            }));
        }

        private IActivation denseActivation(KLayer l, JsonNode c) {
            JsonNode n = c.path("activation");
            String f = n.isMissingNode() || n.isNull() ? "linear" : n.isTextual() ? n.asText() : null;
            if (f == null) {
                throw refuse(l, "option 'activation' = " + n + " is a custom activation: not supported");
            }
            return switch (f) {
                case "linear" -> new ActivationIdentity();
                case "tanh" -> new ActivationTanH();
                case "sigmoid" -> new ActivationSigmoid();
                case "relu" -> new ActivationReLU();
                case "softmax" -> new ActivationSoftmax();
                case "hard_sigmoid" -> file.keras3 ? new ActivationHardSigmoidKeras3() : new ActivationHardSigmoid();
                default -> throw refuse(l, "option 'activation' = '" + f + "' is not supported; the importer takes "
                        + "linear, tanh, sigmoid, relu, softmax, hard_sigmoid");
            };
        }

        // ---------------------------------------------------------------------------------------- weights

        /** The layer's weights, exactly {@code count} of them. */
        private List<KerasModelFile.Weight> weights(KLayer l, int count) throws IOException {
            List<KerasModelFile.Weight> w = file.weights(weightGroups.getOrDefault(l.name(), l.name()));
            if (w.size() != count) {
                throw new IOException(source + ": layer '" + l.name() + "' (" + l.cls() + ") has " + w.size()
                        + " weight arrays in the file, its configuration needs " + count
                        + (w.isEmpty() ? " (saved without weights, or the weights of another model?)" : ""));
            }
            return w;
        }

        private void noWeightsExpected(KLayer l, List<Step> steps) throws IOException {
            if (Set.of("InputLayer", "Masking", "Dropout").contains(l.cls()) && !file.weights(weightGroups.getOrDefault(l.name(), l.name())).isEmpty()) {
                throw new IOException(source + ": layer '" + l.name() + "' (" + l.cls() + ") has weights in the file, "
                        + "which such a layer does not have: the file is damaged or not of this model");
            }
        }

        /**
         * Checks a weight's declared shape against what the layer's configuration needs, before anything is
         * allocated: a configuration that names huge sizes meets its file's real weights here.
         */
        private void expect(KLayer l, KerasModelFile.Weight w, long... shape) {
            long[] have = Arrays.stream(w.shape()).asLongStream().toArray();
            if (!Arrays.equals(have, shape)) {
                throw new IllegalArgumentException(source + ": layer '" + l.name() + "' (" + l.cls() + "): weight '"
                        + w.path() + "' has shape " + Arrays.toString(have) + ", its configuration needs "
                        + Arrays.toString(shape) + ": the weights are not of this model");
            }
        }

        /** One direction's weights (see {@link #assignCell}) checked against the cell's configuration. */
        private void expectCell(KLayer l, String cls, JsonNode c, RecurrentLayerConf conf,
                                List<KerasModelFile.Weight> w) {
            long u = conf.getNOut();
            long g = conf.cell().gates();
            expect(l, w.get(0), features(conf), g * u);
            expect(l, w.get(1), u, g * u);
            if (conf.isHasBias()) {
                if (resetAfter(l, cls, c)) {
                    expect(l, w.get(2), 2, g * u);
                } else {
                    expect(l, w.get(2), g * u);
                }
            }
        }

        /** A weight as an array of {@code shape}, checked before its values are read, and finite. */
        private INDArray array(KLayer l, KerasModelFile.Weight w, long... shape) {
            expect(l, w, shape);
            double[] v;
            try {
                v = w.values();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(source + ": layer '" + l.name() + "': weight '" + w.path()
                        + "' cannot be read (" + e.getMessage() + "): the file is damaged", e);
            }
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new IllegalArgumentException(source + ": layer '" + l.name() + "': weight '" + w.path()
                            + "' holds " + v[i] + " (element " + i + "): saved from a diverged or damaged model");
                }
            }
            return Nd4j.create(v, shape, 'c').castTo(dataType);
        }

        // ---------------------------------------------------------------------------------------- checks

        private void requireSequence(KLayer l) {
            if (kind != Kind.SEQUENCE) {
                throw refuse(l, "needs a sequence [batch, time, features], but takes "
                        + (kind == Kind.TOKENS ? "token ids (put an Embedding first)" : "a vector [batch, features] "
                        + "(the layer before returns no sequence: return_sequences=False)"));
            }
        }

        private void refuseIf(KLayer l, boolean set, String option, JsonNode value, String what) {
            if (set) {
                throw refuse(l, "option '" + option + "' = " + value + " (" + what + ") is not supported");
            }
        }

        /**
         * A boolean option: as the file writes it, {@code dflt} where it is missing or null; anything but true or
         * false ("True", 1) is refused rather than guessed.
         */
        private boolean bool(KLayer l, JsonNode c, String option, boolean dflt) {
            JsonNode n = c.path(option);
            if (n.isMissingNode() || n.isNull()) {
                return dflt;
            }
            if (!n.isBoolean()) {
                throw refuse(l, "option '" + option + "' = " + n + " is not true or false");
            }
            return n.booleanValue();
        }

        private long positive(KLayer l, JsonNode c, String option) {
            JsonNode n = c.path(option);
            boolean integral = n.isIntegralNumber() || (n.isNumber() && n.asDouble() == Math.rint(n.asDouble()));
            if (!integral || n.asLong() <= 0 || n.asLong() > Integer.MAX_VALUE) {
                throw refuse(l, "option '" + option + "' = " + n + " must be a positive integer");
            }
            return n.asLong();
        }

        private static <L extends Layer> L named(L layer, String name) {
            layer.setLayerName(name);
            return layer;
        }
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
