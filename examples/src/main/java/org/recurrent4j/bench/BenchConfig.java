package org.recurrent4j.bench;

import java.util.Locale;

/**
 * One benchmark: the recurrent layer(s) plus an {@code RnnOutputLayer} with 9 softmax classes, Adam, on random data.
 *
 * @param mode {@code train} (one fit step), {@code infer} (one output call) or {@code step} (one rnnTimeStep at
 *             batch 1)
 */
public record BenchConfig(String cell, int batch, int time, int input, int hidden, int layers, boolean bidirectional,
                          String mode, int iters, int warmup) {

    public static final int CLASSES = 9;

    public BenchConfig {
        cell = cell.toLowerCase(Locale.ROOT);
        mode = mode.toLowerCase(Locale.ROOT);
        if (!cell.equals("lstm") && !cell.equals("gru") && !cell.equals("rnn")) {
            throw new IllegalArgumentException("unknown cell '" + cell + "': use lstm, gru or rnn");
        }
        if (!mode.equals("train") && !mode.equals("infer") && !mode.equals("step")) {
            throw new IllegalArgumentException("unknown mode '" + mode + "': use train, infer or step");
        }
        if (mode.equals("step") && bidirectional) {
            throw new IllegalArgumentException("--mode step streams one token at a time, which a bidirectional "
                    + "network cannot do: drop --bidirectional");
        }
        for (int v : new int[]{batch, time, input, hidden, layers, iters}) {
            if (v < 1) {
                throw new IllegalArgumentException("batch, time, input, hidden, layers and iters must be >= 1");
            }
        }
    }

    /** Tokens processed by one iteration: batch x time, or one token per streaming step. */
    public long tokensPerIter() {
        return mode.equals("step") ? 1 : (long) batch * time;
    }
}
