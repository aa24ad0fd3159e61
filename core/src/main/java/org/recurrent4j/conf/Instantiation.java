package org.recurrent4j.conf;

import java.util.Collection;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's wiring of a new runtime layer to its configuration, listeners, index and parameter views, with the check
 * that nIn and nOut are set, in one place.
 */
final class Instantiation {

    private Instantiation() {
    }

    static <L extends BaseLayer<?>> L wire(L layer, NeuralNetConfiguration conf, ParamInitializer initializer,
                                           Collection<TrainingListener> listeners, int index, INDArray paramsView,
                                           boolean initializeParams) {
        FeedForwardLayer c = (FeedForwardLayer) conf.getLayer();
        LayerValidation.assertNInNOutSet(c.getClass().getSimpleName(), c.getLayerName(), index, c.getNIn(),
                c.getNOut());
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(initializer.init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
