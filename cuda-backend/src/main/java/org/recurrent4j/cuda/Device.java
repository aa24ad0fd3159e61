package org.recurrent4j.cuda;

/**
 * A device that runs recurrent4j's CUDA kernels: a GPU through the CUDA driver ({@link CudaDevice}), or in the tests
 * a CPU emulation of the same kernel source. Memory is counted in floats; kernels are named as in
 * {@code recurrent.cu} and take {@link Ptr}, {@link Integer} and {@link Float} arguments in its order.
 */
public interface Device extends AutoCloseable {

    /** For reports, for example {@code NVIDIA H100 80GB HBM3 (sm_90)}. */
    String name();

    /** Uninitialised device memory for {@code floats} floats. */
    DeviceBuffer alloc(long floats);

    void upload(Ptr dst, float[] src, int from, int count);

    void download(Ptr src, float[] dst, int from, int count);

    /** Sets {@code count} floats to {@code value} (NaN to poison memory a kernel should overwrite). */
    void fill(Ptr dst, long count, float value);

    /** Queues a kernel on a 2-D grid of 2-D blocks. */
    void launch(String kernel, int gridX, int gridY, int blockX, int blockY, Object... args);

    /** Waits for everything queued. */
    void synchronize();

    @Override
    void close();
}
