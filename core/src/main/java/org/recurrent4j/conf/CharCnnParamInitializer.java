package org.recurrent4j.conf;

import org.recurrent4j.layers.CharCnnLayer;
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
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameters of {@link CharCnn}: character embeddings {@code E [nIn, charDim]} (uniform in
 * {@code +-sqrt(3 / charDim)}, as Ma &amp; Hovy initialise them; row 0, the padding, is never read), filters
 * {@code W [width*charDim, nOut]} (the layer's weight initialisation) and bias {@code b [1, nOut]} (the layer's bias
 * initialisation, 0 by default).
 */
public final class CharCnnParamInitializer implements ParamInitializer {

    public static final String EMBEDDING_KEY = CharCnnLayer.EMBEDDING_KEY;
    public static final String WEIGHT_KEY = CharCnnLayer.WEIGHT_KEY;
    public static final String BIAS_KEY = CharCnnLayer.BIAS_KEY;

    private static final CharCnnParamInitializer INSTANCE = new CharCnnParamInitializer();

    public static CharCnnParamInitializer getInstance() {
        return INSTANCE;
    }

    private CharCnnParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        CharCnn c = (CharCnn) layer;
        return c.getNIn() * c.getCharDim() + (long) c.getWidth() * c.getCharDim() * c.getNOut() + c.getNOut();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return List.of(EMBEDDING_KEY, WEIGHT_KEY, BIAS_KEY);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return List.of(EMBEDDING_KEY, WEIGHT_KEY);
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return List.of(BIAS_KEY);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return EMBEDDING_KEY.equals(key) || WEIGHT_KEY.equals(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        CharCnn c = (CharCnn) conf.getLayer();
        Map<String, INDArray> views = views(c, paramsView);
        if (initializeParams) {
            double r = Math.sqrt(3.0 / c.getCharDim());
            INDArray e = views.get(EMBEDDING_KEY);
            e.assign(Nd4j.rand(e.dataType(), e.shape()).muli(2 * r).subi(r));
            IWeightInit init = c.getWeightInitFn() == null ? WeightInit.XAVIER.getWeightInitFunction()
                    : c.getWeightInitFn();
            INDArray w = views.get(WEIGHT_KEY);
            init.init((long) c.getWidth() * c.getCharDim(), c.getNOut(), w.shape(), 'f', w);
            views.get(BIAS_KEY).assign(Double.isNaN(c.getBiasInit()) ? 0 : c.getBiasInit());
        }
        for (String key : views.keySet()) {
            conf.addVariable(key);
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((CharCnn) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(CharCnn c, INDArray flat) {
        long v = c.getNIn();
        long d = c.getCharDim();
        long win = c.getWidth() * d;
        long f = c.getNOut();
        INDArray row = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long at = 0;
        m.put(EMBEDDING_KEY, row.get(interval(at, at + v * d)).reshape('f', v, d));
        at += v * d;
        m.put(WEIGHT_KEY, row.get(interval(at, at + win * f)).reshape('f', win, f));
        at += win * f;
        m.put(BIAS_KEY, row.get(interval(at, at + f)).reshape(1, f));
        return m;
    }
}
