package org.recurrent4j.backend;

import org.bytedeco.javacpp.Loader;

/** Run in a child JVM by {@link BlasCoreLoadTest}: chooses, loads OpenBLAS, prints what runs. */
public final class BlasCoreProbe {

    private BlasCoreProbe() {
    }

    public static void main(String[] args) {
        BlasCore.Choice c = BlasCore.chooseBeforeLoad();
        Loader.load(org.bytedeco.openblas.global.openblas_nolapack.class);
        System.out.println("requested=" + c.requested());
        System.out.println("active=" + BlasCore.active());
    }
}
