package org.recurrent4j.layers;

import org.recurrent4j.cells.Cell;

/**
 * What {@link FusedRecurrentLayer} reads from its configuration: the configuration classes ({@code conf.Lstm},
 * {@code conf.Gru}, {@code conf.ElmanRnn}) implement it, so the runtime layer never depends on them.
 */
public interface RecurrentLayerSpec {

    /** The cell the layer runs. */
    Cell cell();

    /** True where the layer runs both directions. */
    boolean isBidirectional();

    /** The features of the layer's output (twice the cell's state size for a bidirectional layer). */
    long outputSize();
}
