package org.recurrent4j.cpu;

import org.nd4j.common.io.Resource;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4jBackend;
import org.recurrent4j.backend.BlasCore;

/**
 * Not a backend: a hook in ND4J's backend search. ND4J instantiates every {@code Nd4jBackend} service before it loads
 * the chosen backend's natives, so this constructor runs before OpenBLAS loads, which is the one moment its kernel
 * set can be chosen ({@link BlasCore#chooseBeforeLoad}: SkylakeX on AVX-512 CPUs OpenBLAS 0.3.19 does not know,
 * {@code OPENBLAS_CORETYPE} set by the user wins). It reports itself unavailable with the lowest priority, so ND4J
 * never picks it.
 */
public final class BlasChoiceHook extends Nd4jBackend {

    public BlasChoiceHook() {
        try {
            BlasCore.chooseBeforeLoad();
        } catch (RuntimeException | LinkageError e) {
            // a choice that cannot be made leaves OpenBLAS's own detection, as without this hook
        }
    }

    @Override
    public boolean allowsOrder() {
        return false;
    }

    @Override
    public int getPriority() {
        return Integer.MIN_VALUE;
    }

    @Override
    public boolean isAvailable() {
        return false;
    }

    @Override
    public boolean canRun() {
        return false;
    }

    @Override
    public Resource getConfigurationResource() {
        return null;
    }

    @Override
    public Class getNDArrayClass() {
        return null;
    }

    @Override
    public Environment getEnvironment() {
        return null;
    }

    @Override
    public String buildInfo() {
        return "recurrent4j's OpenBLAS kernel choice (not a backend)";
    }

    @Override
    public void logBackendInit() {
    }
}
