package org.recurrent4j.interop;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.recurrent4j.conf.RecurrentParamInitializer;
import org.recurrent4j.io.AtomicFiles;

/**
 * Imports the weights of a {@code torch.nn.RNN}, {@code LSTM} or {@code GRU} into an equivalent DL4J network of
 * recurrent4j layers: input {@code [batch, input, time]} (NCW), output {@code [batch, hidden x directions, time]},
 * equal to PyTorch's batch-first output transposed; with a features mask, equal to PyTorch's packed sequences.
 *
 * <pre>{@code
 * MultiLayerNetwork net = TorchImporter.importNpz(Path.of("state.npz"), TorchMode.LSTM);
 * }</pre>
 *
 * The {@code .npz} is the module's {@code state_dict} saved with {@code numpy.savez} under PyTorch's key names;
 * layers, directions and sizes are read from the keys and shapes.
 */
public final class TorchImporter {

    private static final Pattern KEY = Pattern.compile("(weight|bias)_(ih|hh)_l(\\d+)(_reverse)?");

    private TorchImporter() {
    }

    /** Reads a {@code numpy.savez} file and imports it. */
    public static MultiLayerNetwork importNpz(Path npz, TorchMode mode) throws IOException {
        return importStateDict(readNpz(npz), mode, npz.toString());
    }

    /** Imports and writes a ModelSerializer zip atomically: on any error no file is left at {@code out}. */
    public static MultiLayerNetwork importToFile(Path npz, TorchMode mode, Path out) throws IOException {
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
            if (key.startsWith("weight_hr_")) {
                throw new IllegalArgumentException(source + ": key '" + key + "' means the LSTM was built with "
                        + "proj_size > 0, which recurrent4j does not support: re-train without proj_size");
            }
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                throw new IllegalArgumentException(source + ": unexpected key '" + key + "' "
                        + Arrays.toString(e.getValue().shape()) + ": expected PyTorch's weight_ih_l0, weight_hh_l0, "
                        + "bias_ih_l0, bias_hh_l0 (and _reverse, _l1, ...)");
            }
            layers = Math.max(layers, Integer.parseInt(m.group(3)) + 1);
            bidirectional |= m.group(4) != null;
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
        DataType dt = first.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        int dirs = bidirectional ? 2 : 1;
        int expectedKeys = layers * dirs * (bias ? 4 : 2);
        if (weights.size() != expectedKeys) {
            throw new IllegalArgumentException(source + ": expected " + expectedKeys + " weight arrays for " + layers
                    + " layer(s), " + dirs + " direction(s)" + (bias ? " with" : " without") + " bias, found "
                    + weights.keySet());
        }

        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().dataType(dt).list();
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? nIn : hidden * dirs;
            RecurrentLayerConf conf = mode.layer(in, hidden, bias);
            conf.setBidirectional(bidirectional);
            list.layer(conf);
        }
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        for (int l = 0; l < layers; l++) {
            long in = l == 0 ? nIn : hidden * dirs;
            Layer layer = net.getLayer(l);
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + l + (d == 1 ? "_reverse" : "");
                assign(layer, d == 1, weights, suffix, mode, in, hidden, bias, dt, source);
            }
        }
        return net;
    }

    private static void assign(Layer layer, boolean reverse, Map<String, INDArray> w, String suffix, TorchMode mode,
                               long nIn, long hidden, boolean bias, DataType dt, String source) {
        long width = mode.gates() * hidden;
        INDArray wih = shaped(w, "weight_ih" + suffix, source, width, nIn).castTo(dt);
        INDArray whh = shaped(w, "weight_hh" + suffix, source, width, hidden).castTo(dt);
        Map<String, INDArray> p = layer.paramTable();
        p.get(RecurrentParamInitializer.key(RecurrentParamInitializer.WEIGHT_KEY, reverse)).assign(wih.transpose());
        p.get(RecurrentParamInitializer.key(RecurrentParamInitializer.RECURRENT_WEIGHT_KEY, reverse)).assign(whh.transpose());
        if (!bias) {
            return;
        }
        INDArray bih = shaped(w, "bias_ih" + suffix, source, width).castTo(dt).reshape(1, width);
        INDArray bhh = shaped(w, "bias_hh" + suffix, source, width).castTo(dt).reshape(1, width);
        INDArray b = p.get(RecurrentParamInitializer.key(RecurrentParamInitializer.BIAS_KEY, reverse));
        if (mode == TorchMode.GRU) {
            // b_hr and b_hz add to the input biases; b_hn stays inside the reset product (RB)
            b.assign(bih);
            b.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 2 * hidden))
                    .addi(bhh.get(NDArrayIndex.point(0), NDArrayIndex.interval(0, 2 * hidden)));
            p.get(RecurrentParamInitializer.key(RecurrentParamInitializer.RECURRENT_BIAS_KEY, reverse))
                    .assign(bhh.get(NDArrayIndex.interval(0, 0, true), NDArrayIndex.interval(2 * hidden, 3 * hidden)));
        } else {
            b.assign(bih.add(bhh));
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
                    + Arrays.toString(w.get("weight_ih_l0").shape()) + ": one of the two is not of this module)");
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
