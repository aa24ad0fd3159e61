package org.recurrent4j.interop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.recurrent4j.conf.RecurrentLayerConf;
import org.recurrent4j.cells.Cell;
import org.recurrent4j.io.AtomicFiles;

/**
 * Imports the weights of a {@code torch.nn.RNN}, {@code LSTM} or {@code GRU} into an equivalent DL4J network of
 * recurrent4j layers: input {@code [batch, input, time]} (NCW), output {@code [batch, hidden x directions, time]}
 * ({@code proj_size x directions} for an LSTM saved with {@code proj_size}), equal to PyTorch's batch-first output
 * transposed; with a features mask, equal to PyTorch's packed sequences.
 *
 * <pre>{@code
 * MultiLayerNetwork net = TorchImporter.importNpz(Path.of("state.npz"), TorchMode.LSTM);
 * }</pre>
 *
 * The {@code .npz} is the module's {@code state_dict} saved with {@code numpy.savez} under PyTorch's key names;
 * layers, directions and sizes are read from the keys and shapes.
 */
public final class TorchImporter {

    private static final Pattern KEY = Pattern.compile("(weight_(?:ih|hh|hr)|bias_(?:ih|hh))_l(\\d+)(_reverse)?");

    private TorchImporter() {
    }

    /** Reads a {@code numpy.savez} file and imports it. */
    public static MultiLayerNetwork importNpz(Path npz, TorchMode mode) throws IOException {
        return importStateDict(readNpz(npz), mode, npz.toString());
    }

    /** Imports and writes a ModelSerializer zip atomically: on any error no file is left at {@code out}. */
    public static MultiLayerNetwork importToFile(Path npz, TorchMode mode, Path out) throws IOException {
        AtomicFiles.requireDistinct(out, npz);
        MultiLayerNetwork net = importNpz(npz, mode);
        AtomicFiles.write(out, tmp -> ModelSerializer.writeModel(net, tmp.toFile(), false));
        return net;
    }

    /** The arrays of a {@code numpy.savez} file by name. */
    public static Map<String, INDArray> readNpz(Path npz) throws IOException {
        if (!Files.isRegularFile(npz)) {
            throw new NoSuchFileException(npz.toString(), null, "no such file: pass the .npz written by numpy.savez");
        }
        return Npz.read(npz);
    }

    /**
     * Imports a state_dict already in memory.
     *
     * @param source names the origin in error messages
     * @throws IllegalArgumentException for missing, unknown or mis-shaped keys, naming the key and shape
     */
    public static MultiLayerNetwork importStateDict(Map<String, INDArray> state, TorchMode mode, String source) {
        Map<String, INDArray> weights = new TreeMap<>();
        int layers = 0;
        boolean bidirectional = false;
        for (Map.Entry<String, INDArray> e : state.entrySet()) {
            String key = e.getKey();
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                throw new IllegalArgumentException(source + ": unexpected key '" + key + "' "
                        + Arrays.toString(e.getValue().shape()) + ": expected PyTorch's weight_ih_l0, weight_hh_l0, "
                        + "bias_ih_l0, bias_hh_l0 (and weight_hr_l0 for an LSTM with proj_size; _reverse, _l1, ...)");
            }
            if (m.group(1).equals("weight_hr") && mode != TorchMode.LSTM) {
                throw new IllegalArgumentException(source + ": key '" + key + "' is an LSTM's projection (proj_size), "
                        + "but the mode is " + mode + ": import it with mode LSTM");
            }
            layers = Math.max(layers, Integer.parseInt(m.group(2)) + 1);
            bidirectional |= m.group(3) != null;
            weights.put(key, e.getValue());
        }
        if (layers == 0) {
            throw new IllegalArgumentException(source + ": no weights found: expected keys weight_ih_l0, weight_hh_l0, ...");
        }
        INDArray first = require(weights, "weight_ih_l0", source);
        if (first.rank() != 2 || first.size(0) % mode.gates() != 0) {
            throw new IllegalArgumentException(source + ": weight_ih_l0 has shape " + Arrays.toString(first.shape())
                    + ", expected [" + mode.gates() + "*hidden, input] for mode " + mode);
        }
        long hidden = first.size(0) / mode.gates();
        long nIn = first.size(1);
        boolean bias = weights.containsKey("bias_ih_l0");
        String hrKey = weights.keySet().stream().filter(k -> k.startsWith("weight_hr_")).findFirst().orElse(null);
        INDArray hr = hrKey == null ? null : weights.get(hrKey);
        if (hr != null && (hr.rank() != 2 || hr.size(1) != hidden || hr.size(0) < 1 || hr.size(0) >= hidden)) {
            throw new IllegalArgumentException(source + ": key '" + hrKey + "' has shape " + Arrays.toString(hr.shape())
                    + ", expected [proj_size, hidden] = [P, " + hidden + "] with 0 < P < " + hidden + " (hidden "
                    + hidden + " from weight_ih_l0, " + Arrays.toString(first.shape()) + ")");
        }
        int projection = hr == null ? 0 : (int) hr.size(0);
        long stateSize = projection > 0 ? projection : hidden;
        DataType dt = first.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        int dirs = bidirectional ? 2 : 1;
        // every layer and direction has the same keys: name the first one missing
        for (int l = 0; l < layers; l++) {
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                List<String> names = new ArrayList<>(List.of("weight_ih", "weight_hh"));
                if (bias) {
                    names.addAll(List.of("bias_ih", "bias_hh"));
                }
                if (projection > 0) {
                    names.add("weight_hr");
                }
                for (String name : names) {
                    if (!weights.containsKey(name + suffix)) {
                        throw new IllegalArgumentException(source + ": missing key '" + name + suffix + "': "
                                + "every layer" + (bidirectional ? " and direction" : "") + " has "
                                + String.join(", ", names) + (projection > 0 ? " (the LSTM was saved with proj_size, "
                                + "as '" + hrKey + "' shows)" : "") + "; found " + weights.keySet());
                    }
                }
            }
        }
        int expectedKeys = layers * dirs * ((bias ? 4 : 2) + (projection > 0 ? 1 : 0));
        if (weights.size() != expectedKeys) {
            throw new IllegalArgumentException(source + ": expected " + expectedKeys + " weight arrays for " + layers
                    + " layer(s), " + dirs + " direction(s)" + (bias ? " with" : " without") + " bias"
                    + (projection > 0 ? " and projection" : "") + ", found " + weights.keySet());
        }
        INDArray hh = weights.get("weight_hh_l0");
        if (projection == 0 && mode == TorchMode.LSTM && hh.rank() == 2 && hh.size(0) == first.size(0)
                && hh.size(1) < hidden) {
            throw new IllegalArgumentException(source + ": key 'weight_hh_l0' has shape " + Arrays.toString(hh.shape())
                    + ": [4*hidden, P] with P < hidden is an LSTM saved with proj_size " + hh.size(1) + ", but its "
                    + "weight_hr_l* keys are missing: save the whole state_dict");
        }
        for (String k : weights.keySet()) {
            if (k.startsWith("weight_hr_") && !Arrays.equals(weights.get(k).shape(), hr.shape())) {
                throw new IllegalArgumentException(source + ": key '" + k + "' has shape "
                        + Arrays.toString(weights.get(k).shape()) + ", expected " + Arrays.toString(hr.shape())
                        + " as '" + hrKey + "' (every layer of an LSTM has the same proj_size and hidden size)");
            }
        }

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(dt).list();
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? nIn : stateSize * dirs;
            RecurrentLayerConf conf = mode.layer(in, hidden, bias, projection);
            conf.setBidirectional(bidirectional);
            list.layer(conf);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int l = 0; l < layers; l++) {
            Layer layer = net.getLayer(l);
            RecurrentLayerConf conf = (RecurrentLayerConf) layer.conf().getLayer();
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                assign(layer, conf, d == 1, weights, suffix, dt, source);
            }
        }
        return net;
    }

    /**
     * One direction of one layer, by the cell's declared parameters: PyTorch's matrices transposed (it computes
     * {@code W x}, recurrent4j {@code x W}); its two biases summed over the blocks where they only ever add, the
     * hidden-side bias of the cell's separate blocks (the GRU's {@code b_hn}) kept apart as {@code RB}.
     */
    private static void assign(Layer layer, RecurrentLayerConf conf, boolean reverse, Map<String, INDArray> w,
                               String suffix, DataType dt, String source) {
        Cell cell = conf.cell();
        long hidden = conf.getNOut();
        long width = cell.gates() * hidden;
        long joined = (long) (cell.gates() - cell.separateBlocks()) * hidden;
        Map<String, INDArray> p = layer.paramTable();
        for (Cell.Parameter param : cell.parameters(conf.getNIn(), hidden, conf.isHasBias())) {
            INDArray target = p.get(Cell.key(param.key(), reverse));
            switch (param.key()) {
                case Cell.WEIGHT_KEY, Cell.RECURRENT_WEIGHT_KEY, Cell.PROJECTION_KEY -> {
                    String name = switch (param.key()) {
                        case Cell.WEIGHT_KEY -> "weight_ih";
                        case Cell.RECURRENT_WEIGHT_KEY -> "weight_hh";
                        default -> "weight_hr";
                    };
                    target.assign(shaped(w, name + suffix, source, param.cols(), param.rows()).castTo(dt).transpose());
                }
                case Cell.BIAS_KEY -> {
                    INDArray bih = shaped(w, "bias_ih" + suffix, source, width).castTo(dt).reshape(1, width);
                    INDArray bhh = shaped(w, "bias_hh" + suffix, source, width).castTo(dt).reshape(1, width);
                    target.assign(bih);
                    if (joined > 0) {
                        target.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, joined))
                                .addi(bhh.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, joined)));
                    }
                }
                case Cell.RECURRENT_BIAS_KEY -> target.assign(shaped(w, "bias_hh" + suffix, source, width).castTo(dt)
                        .reshape(1, width).get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(joined, width)));
                default -> throw new IllegalStateException(cell + " declares a parameter " + param.key()
                        + " that PyTorch's modules do not have");
            }
        }
    }

    private static INDArray require(Map<String, INDArray> w, String key, String source) {
        INDArray a = w.get(key);
        if (a == null) {
            throw new IllegalArgumentException(source + ": missing key '" + key + "'");
        }
        return a;
    }

    private static INDArray shaped(Map<String, INDArray> w, String key, String source, long... shape) {
        INDArray a = require(w, key, source);
        if (!Arrays.equals(a.shape(), shape)) {
            throw new IllegalArgumentException(source + ": key '" + key + "' has shape " + Arrays.toString(a.shape())
                    + ", expected " + Arrays.toString(shape) + " (the sizes come from weight_ih_l0, "
                    + Arrays.toString(w.get("weight_ih_l0").shape())
                    + (w.containsKey("weight_hr_l0") ? ", and proj_size from weight_hr_l0, "
                    + Arrays.toString(w.get("weight_hr_l0").shape()) : "")
                    + ": one of them is not of this module)");
        }
        double[] v = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new IllegalArgumentException(source + ": key '" + key + "' holds " + v[i] + " (element " + i
                        + "): the state_dict was saved from a diverged or damaged model");
            }
        }
        return a;
    }

    /** Loads a model written by {@link #importToFile}. */
    public static MultiLayerNetwork restore(File zip) throws IOException {
        return ModelSerializer.restoreMultiLayerNetwork(zip);
    }
}
