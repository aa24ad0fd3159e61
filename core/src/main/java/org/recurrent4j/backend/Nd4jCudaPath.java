package org.recurrent4j.backend;

import java.util.Locale;

/**
 * ND4J's CUDA backend as released on Maven Central: {@code nd4j-cuda-11.6:1.0.0-M2.1}. Its natives carry machine code
 * for sm_37 to sm_86 and no PTX, so they load on a Hopper GPU and then fail on the first kernel; this path declines
 * such GPUs up front. Ada (sm_89) runs the sm_86 code, which CUDA allows within one major version.
 */
public final class Nd4jCudaPath implements CudaPath {

    static final String BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
    static final int MIN_CC = 37;
    static final int MAX_MAJOR = 8;

    private final ClassLoader loader;

    public Nd4jCudaPath() {
        this(Nd4jCudaPath.class.getClassLoader());
    }

    Nd4jCudaPath(ClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public String name() {
        return "ND4J CUDA 11.6";
    }

    @Override
    public String nd4jBackendClass() {
        return BACKEND_CLASS;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public String unavailableReason(GpuInfo gpu) {
        if (gpu.ccNumber() < MIN_CC || gpu.ccMajor() > MAX_MAJOR) {
            return "nd4j-cuda-11.6 carries kernels for sm_37..sm_86 and no PTX, so it cannot run on " + gpu
                    + " (ND4J's CUDA 12 builds are not released)";
        }
        if (loader.getResource(BACKEND_CLASS.replace('.', '/') + ".class") == null) {
            return "ND4J's CUDA backend is not on the classpath: depend on recurrent4j-cuda";
        }
        String natives = "org/nd4j/linalg/jcublas/bindings/" + javacppPlatform() + "/" + nativeLibraryName();
        if (loader.getResource(natives) == null) {
            return "the natives of nd4j-cuda-11.6 (600 MB, " + javacppPlatform()
                    + ") are not on the classpath: build with 'mvn -Pcuda-natives package'";
        }
        return null;
    }

    /** JavaCPP's name for this platform, for example {@code linux-x86_64}. */
    static String javacppPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "macosx" : "linux";
        String a = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            default -> arch;
        };
        return o + "-" + a;
    }

    private static String nativeLibraryName() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return "jnind4jcuda.dll";
        }
        return os.startsWith("mac") ? "libjnind4jcuda.dylib" : "libjnind4jcuda.so";
    }
}
