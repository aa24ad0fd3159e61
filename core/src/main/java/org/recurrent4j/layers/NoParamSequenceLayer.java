package org.recurrent4j.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What this package's runtime layers without parameters share. Each reads its configuration through a settings
 * interface of its own ({@code S}), which the configuration class in {@code conf} implements, so that this package
 * does not import {@code conf} (the layering runs one way: conf, then layers).
 *
 * @param <S> the settings the layer reads
 */
abstract class NoParamSequenceLayer<S> extends AbstractLayer<org.deeplearning4j.nn.conf.layers.Layer> {

    private final Class<S> settingsType;

    /** @throws IllegalArgumentException where the configuration does not implement {@code settingsType} */
    NoParamSequenceLayer(NeuralNetConfiguration conf, DataType dataType, Class<S> settingsType) {
        super(conf, dataType);
        this.settingsType = settingsType;
        settings();
    }

    /** The layer's configuration, as the settings this runtime reads. */
    protected final S settings() {
        Object c = conf().getLayer();
        if (!settingsType.isInstance(c)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " needs a configuration implementing "
                    + settingsType.getName() + ", got " + (c == null ? "none" : c.getClass().getName()));
        }
        return settingsType.cast(c);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public void clearNoiseWeightParams() {
    }
}
