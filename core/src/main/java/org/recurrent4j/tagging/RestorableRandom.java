package org.recurrent4j.tagging;

import java.util.Random;

/**
 * A {@link Random} whose whole state is one {@code long} that can be saved and restored: SplitMix64 (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014) behind {@code Random}'s methods. A
 * checkpoint stores the state as a number in its JSON, where {@code java.util.Random} could only be saved by Java
 * serialization.
 */
final class RestorableRandom extends Random {
    private static final long serialVersionUID = 1L;

    private long state;

    RestorableRandom(long state) {
        this.state = state;
    }

    /** The state: a generator made with it continues this one's sequence. */
    synchronized long state() {
        return state;
    }

    @Override
    public synchronized void setSeed(long seed) {
        state = seed;   // also called by Random's constructor, before this class's
    }

    @Override
    protected synchronized int next(int bits) {
        long z = state += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        return (int) (z >>> (64 - bits));
    }

    @Override
    public synchronized double nextGaussian() {
        throw new UnsupportedOperationException("nextGaussian keeps state of its own that a checkpoint would lose");
    }
}
