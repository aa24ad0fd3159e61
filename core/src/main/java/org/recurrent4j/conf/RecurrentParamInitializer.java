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
        return n;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        List<String> keys = new ArrayList<>(weightKeys(layer));
        keys.addAll(biasKeys(layer));
        return keys;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        RecurrentLayerConf c = (RecurrentLayerConf) layer;
        if (!c.isHasBias()) {
            return Collections.emptyList();
        }
        return c.hasRecurrentBias() ? List.of(BIAS_KEY, RECURRENT_BIAS_KEY) : List.of(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key) || RECURRENT_WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key) || RECURRENT_BIAS_KEY.equals(key);
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
            init.init(nIn, h, new long[]{nIn, width}, 'f', m.get(WEIGHT_KEY));
            rinit.init(h, h, new long[]{h, width}, 'f', m.get(RECURRENT_WEIGHT_KEY));
            if (c.isHasBias()) {
                INDArray b = m.get(BIAS_KEY);
                for (int g = 0; g < c.gates(); g++) {
                    b.get(interval(0, 0, true), interval(g * h, (g + 1) * h)).assign(c.biasInit(g));
                }
                if (c.hasRecurrentBias()) {
                    m.get(RECURRENT_BIAS_KEY).assign(c.biasInit(c.gates()));
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
        m.put(WEIGHT_KEY, v.get(interval(pos, pos + nIn * width)).reshape('f', nIn, width));
        pos += nIn * width;
        m.put(RECURRENT_WEIGHT_KEY, v.get(interval(pos, pos + h * width)).reshape('f', h, width));
        pos += h * width;
        if (c.isHasBias()) {
            m.put(BIAS_KEY, v.get(interval(pos, pos + width)).reshape(1, width));
            pos += width;
            if (c.hasRecurrentBias()) {
                m.put(RECURRENT_BIAS_KEY, v.get(interval(pos, pos + h)).reshape(1, h));
            }
        }
        return m;
    }
}
