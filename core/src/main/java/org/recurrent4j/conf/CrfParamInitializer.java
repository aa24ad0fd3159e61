package org.recurrent4j.conf;

import org.recurrent4j.layers.CrfLayer;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of {@link CrfOutputLayer} as named views of one flat array: emission weights {@code W [nIn, K]} and
 * bias {@code b [1, K]}, transitions {@code T [K, K]} ({@code T[i, j]} scores tag i followed by tag j), and the
 * scores of the first and last tag, {@code start [1, K]} and {@code end [1, K]}. {@code W} starts from the layer's
 * weight initialisation; the others start at 0 (as NCRF++ starts its transitions), so an untrained CRF decodes as a
 * per-step argmax.
 */
public final class CrfParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = CrfLayer.WEIGHT_KEY;
    public static final String BIAS_KEY = CrfLayer.BIAS_KEY;
    public static final String TRANSITION_KEY = CrfLayer.TRANSITION_KEY;
    public static final String START_KEY = CrfLayer.START_KEY;
    public static final String END_KEY = CrfLayer.END_KEY;

    private static final CrfParamInitializer INSTANCE = new CrfParamInitializer();

    public static CrfParamInitializer getInstance() {
        return INSTANCE;
    }

    private CrfParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        CrfOutputLayer c = (CrfOutputLayer) layer;
        long k = c.getNOut();
        return c.getNIn() * k + k + k * k + 2 * k;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(WEIGHT_KEY, BIAS_KEY, TRANSITION_KEY, START_KEY, END_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(WEIGHT_KEY);
    }

    /** Everything but {@code W}: no weight decay on them, as none on a bias. */
    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS_KEY, TRANSITION_KEY, START_KEY, END_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return !WEIGHT_KEY.equals(key) && paramKeys(layer).contains(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        CrfOutputLayer c = (CrfOutputLayer) conf.getLayer();
        Map<String, INDArray> views = views(c, paramsView);
        if (initializeParams) {
            IWeightInit init = c.getWeightInitFn() == null ? WeightInit.XAVIER.getWeightInitFunction()
                    : c.getWeightInitFn();
            INDArray w = views.get(WEIGHT_KEY);
            init.init(c.getNIn(), c.getNOut(), w.shape(), 'f', w);
            for (String key : biasKeys(c)) {
                // b takes the layer's bias initialisation; transitions, start and end scores start at 0
                views.get(key).assign(key.equals(BIAS_KEY) && !Double.isNaN(c.getBiasInit()) ? c.getBiasInit() : 0);
            }
        }
        for (Map.Entry<String, INDArray> e : views.entrySet()) {
            conf.addVariable(e.getKey());
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((CrfOutputLayer) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(CrfOutputLayer c, INDArray flat) {
        long nIn = c.getNIn();
        long k = c.getNOut();
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long at = 0;
        m.put(WEIGHT_KEY, row.get(interval(at, at + nIn * k)).reshape('f', nIn, k));
        at += nIn * k;
        m.put(BIAS_KEY, row.get(interval(at, at + k)).reshape(1, k));
        at += k;
        m.put(TRANSITION_KEY, row.get(interval(at, at + k * k)).reshape('f', k, k));
        at += k * k;
        m.put(START_KEY, row.get(interval(at, at + k)).reshape(1, k));
        at += k;
        m.put(END_KEY, row.get(interval(at, at + k)).reshape(1, k));
        return m;
    }
}
