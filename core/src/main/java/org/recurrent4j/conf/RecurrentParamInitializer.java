package org.recurrent4j.conf;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of the recurrent layers as named views of one flat array, as in DL4J: {@code W}, {@code RW}, {@code b}
 * and, for the GRU, {@code RB}.
 */
public final class RecurrentParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = "W";
    public static final String RECURRENT_WEIGHT_KEY = "RW";
    public static final String BIAS_KEY = "b";
    public static final String RECURRENT_BIAS_KEY = "RB";
    /**
     * Appended to a parameter's key for the backward direction of a bidirectional layer, as PyTorch appends
     * {@code _reverse}; without the underscore, which DL4J's updater reads as the end of the layer's name.
     */
    public static final String REVERSE_SUFFIX = "Reverse";

    private static final RecurrentParamInitializer INSTANCE = new RecurrentParamInitializer();

    public static RecurrentParamInitializer getInstance() {
        return INSTANCE;
    }

    private RecurrentParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        RecurrentLayerConf c = (RecurrentLayerConf) layer;
        long nIn = c.getNIn();
        long h = c.getNOut();
        long width = c.gates() * h;
        long n = nIn * width + h * width;
        if (c.isHasBias()) {
            n += width + (c.hasRecurrentBias() ? h : 0);
        }
        return c.isBidirectional() ? 2 * n : n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        // in the order of the flat array (see views): one direction's weights and biases, then the other's
        RecurrentLayerConf c = (RecurrentLayerConf) layer;
        List<String> one = new ArrayList<>(List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY));
        if (c.isHasBias()) {
            one.add(BIAS_KEY);
            if (c.hasRecurrentBias()) {
                one.add(RECURRENT_BIAS_KEY);
            }
        }
        return withReverse(layer, one);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return withReverse(layer, List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY));
    }

    /** {@code keys}, followed for a bidirectional layer by the same keys of its backward direction. */
    private static List<String> withReverse(Layer layer, List<String> keys) {
        if (!((RecurrentLayerConf) layer).isBidirectional()) {
            return keys;
        }
        List<String> all = new ArrayList<>(keys);
        for (String k : keys) {
            all.add(k + REVERSE_SUFFIX);
        }
        return all;
    }

    /** The key {@code key} of a bidirectional layer's forward or backward direction. */
    public static String key(String key, boolean reverse) {
        return reverse ? key + REVERSE_SUFFIX : key;
    }

    private static String base(String key) {
        return key.endsWith(REVERSE_SUFFIX) ? key.substring(0, key.length() - REVERSE_SUFFIX.length()) : key;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        RecurrentLayerConf c = (RecurrentLayerConf) layer;
        if (!c.isHasBias()) {
            return Collections.emptyList();
        }
        return withReverse(layer, c.hasRecurrentBias() ? List.of(BIAS_KEY, RECURRENT_BIAS_KEY) : List.of(BIAS_KEY));
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        String k = base(key);
        return WEIGHT_KEY.equals(k) || RECURRENT_WEIGHT_KEY.equals(k);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        String k = base(key);
        return BIAS_KEY.equals(k) || RECURRENT_BIAS_KEY.equals(k);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        RecurrentLayerConf c = (RecurrentLayerConf) conf.getLayer();
        Map<String, INDArray> m = views(c, paramsView);
        if (initializeParams) {
            long nIn = c.getNIn();
            long h = c.getNOut();
            long width = c.gates() * h;
            IWeightInit init = c.getWeightInitFn();
            IWeightInit rinit = c.getWeightInitFnRecurrent() != null ? c.getWeightInitFnRecurrent() : init;
            for (boolean reverse : c.isBidirectional() ? new boolean[]{false, true} : new boolean[]{false}) {
                init.init(nIn, h, new long[]{nIn, width}, 'f', m.get(key(WEIGHT_KEY, reverse)));
                rinit.init(h, h, new long[]{h, width}, 'f', m.get(key(RECURRENT_WEIGHT_KEY, reverse)));
                if (c.isHasBias()) {
                    INDArray b = m.get(key(BIAS_KEY, reverse));
                    for (int g = 0; g < c.gates(); g++) {
                        b.get(interval(0, 0, true), interval(g * h, (g + 1) * h)).assign(c.biasInit(g));
                    }
                    if (c.hasRecurrentBias()) {
                        m.get(key(RECURRENT_BIAS_KEY, reverse)).assign(c.biasInit(c.gates()));
                    }
                }
            }
        }
        for (String key : m.keySet()) {
            conf.addVariable(key);
        }
        return m;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((RecurrentLayerConf) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(RecurrentLayerConf c, INDArray flat) {
        long nIn = c.getNIn();
        long h = c.getNOut();
        long width = c.gates() * h;
        INDArray v = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long pos = 0;
        // the forward direction's parameters, then the backward direction's: a unidirectional layer's layout is the
        // first half of a bidirectional one's
        for (boolean reverse : c.isBidirectional() ? new boolean[]{false, true} : new boolean[]{false}) {
            m.put(key(WEIGHT_KEY, reverse), v.get(interval(pos, pos + nIn * width)).reshape('f', nIn, width));
            pos += nIn * width;
            m.put(key(RECURRENT_WEIGHT_KEY, reverse), v.get(interval(pos, pos + h * width)).reshape('f', h, width));
            pos += h * width;
            if (c.isHasBias()) {
                m.put(key(BIAS_KEY, reverse), v.get(interval(pos, pos + width)).reshape(1, width));
                pos += width;
                if (c.hasRecurrentBias()) {
                    m.put(key(RECURRENT_BIAS_KEY, reverse), v.get(interval(pos, pos + h)).reshape(1, h));
                    pos += h;
                }
            }
        }
        return m;
    }
}
