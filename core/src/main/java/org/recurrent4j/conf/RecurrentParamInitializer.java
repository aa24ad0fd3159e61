package org.recurrent4j.conf;

import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.recurrent4j.cells.Cell;

/**
 * Parameters of the recurrent layers as named views of one flat array, as in DL4J: the cell's declared parameters
 * ({@link Cell#parameters}: {@code W}, {@code RW}, {@code b}, and {@code RB} for the GRU, {@code WHR} for an LSTM with
 * projection), then, for a bidirectional layer, the same for the backward direction.
 */
public final class RecurrentParamInitializer implements ParamInitializer {

    public static final String WEIGHT_KEY = Cell.WEIGHT_KEY;
    public static final String RECURRENT_WEIGHT_KEY = Cell.RECURRENT_WEIGHT_KEY;
    public static final String BIAS_KEY = Cell.BIAS_KEY;
    public static final String RECURRENT_BIAS_KEY = Cell.RECURRENT_BIAS_KEY;
    public static final String PROJECTION_KEY = Cell.PROJECTION_KEY;
    /** See {@link Cell#REVERSE_SUFFIX}. */
    public static final String REVERSE_SUFFIX = Cell.REVERSE_SUFFIX;

    private static final RecurrentParamInitializer INSTANCE = new RecurrentParamInitializer();

    public static RecurrentParamInitializer getInstance() {
        return INSTANCE;
    }

    private RecurrentParamInitializer() {
    }

    private static List<Cell.Parameter> oneDirection(Layer layer) {
        RecurrentLayerConf c = (RecurrentLayerConf) layer;
        return c.cell().parameters(c.getNIn(), c.getNOut(), c.isHasBias());
    }

    private static boolean[] directions(Layer layer) {
        return ((RecurrentLayerConf) layer).isBidirectional() ? new boolean[]{false, true} : new boolean[]{false};
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        long n = 0;
        for (Cell.Parameter p : oneDirection(layer)) {
            n += p.length();
        }
        return n * directions(layer).length;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return keys(layer, k -> true);
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return keys(layer, k -> isWeight(k));
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return keys(layer, k -> isBias(k));
    }

    /** The keys that {@code which} takes, in the order of the flat array: one direction's, then the other's. */
    private static List<String> keys(Layer layer, java.util.function.Predicate<String> which) {
        List<String> all = new ArrayList<>();
        List<Cell.Parameter> one = oneDirection(layer);
        for (boolean reverse : directions(layer)) {
            for (Cell.Parameter p : one) {
                if (which.test(p.key())) {
                    all.add(key(p.key(), reverse));
                }
            }
        }
        return all;
    }

    /** The key {@code key} of a bidirectional layer's forward or backward direction. */
    public static String key(String key, boolean reverse) {
        return Cell.key(key, reverse);
    }

    private static String base(String key) {
        return key.endsWith(REVERSE_SUFFIX) ? key.substring(0, key.length() - REVERSE_SUFFIX.length()) : key;
    }

    private static boolean isWeight(String k) {
        return WEIGHT_KEY.equals(k) || RECURRENT_WEIGHT_KEY.equals(k) || PROJECTION_KEY.equals(k);
    }

    private static boolean isBias(String k) {
        return BIAS_KEY.equals(k) || RECURRENT_BIAS_KEY.equals(k);
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return isWeight(base(key));
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return isBias(base(key));
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        RecurrentLayerConf c = (RecurrentLayerConf) conf.getLayer();
        Map<String, INDArray> m = views(c, paramsView);
        if (initializeParams) {
            Cell cell = c.cell();
            List<Cell.Parameter> one = cell.parameters(c.getNIn(), c.getNOut(), c.isHasBias());
            long h = c.getNOut();
            IWeightInit init = c.getWeightInitFn();
            IWeightInit rinit = c.getWeightInitFnRecurrent() != null ? c.getWeightInitFnRecurrent() : init;
            for (boolean reverse : directions(c)) {
                for (Cell.Parameter p : one) {
                    INDArray a = m.get(key(p.key(), reverse));
                    switch (p.key()) {
                        case Cell.WEIGHT_KEY, Cell.PROJECTION_KEY ->
                                init.init(p.rows(), p.key().equals(Cell.WEIGHT_KEY) ? h : p.cols(),
                                        new long[]{p.rows(), p.cols()}, 'f', a);
                        case Cell.RECURRENT_WEIGHT_KEY ->
                                rinit.init(p.rows(), h, new long[]{p.rows(), p.cols()}, 'f', a);
                        case Cell.BIAS_KEY -> {
                            for (int g = 0; g < cell.gates(); g++) {
                                a.get(interval(0, 0, true), interval(g * h, (g + 1) * h)).assign(c.biasInit(g));
                            }
                        }
                        default -> a.assign(c.biasInit(cell.gates()));   // a recurrent bias: the layer's bias init
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
        INDArray v = flat.reshape(flat.length());
        Map<String, INDArray> m = new LinkedHashMap<>();
        long pos = 0;
        // the forward direction's parameters, then the backward direction's: a unidirectional layer's layout is the
        // first half of a bidirectional one's
        List<Cell.Parameter> one = oneDirection(c);
        for (boolean reverse : directions(c)) {
            for (Cell.Parameter p : one) {
                INDArray view = v.get(interval(pos, pos + p.length()));
                m.put(key(p.key(), reverse), p.rows() == 1 ? view.reshape(1, p.cols())
                        : view.reshape('f', p.rows(), p.cols()));
                pos += p.length();
            }
        }
        return m;
    }
}
