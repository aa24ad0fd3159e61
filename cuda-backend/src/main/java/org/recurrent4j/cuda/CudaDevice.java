package org.recurrent4j.cuda;

import static jcuda.driver.JCudaDriver.cuCtxSetCurrent;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetAttribute;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRelease;
import static jcuda.driver.JCudaDriver.cuDevicePrimaryCtxRetain;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * A GPU through the CUDA driver API (JCuda's binding, which needs nothing but the NVIDIA driver's
 * {@code libcuda.so.1}): the primary context of one device, with recurrent4j's kernels loaded from the fatbin that
 * the build compiled with nvcc. Each call makes the context current on the calling thread, so any thread may use it.
 *
 * <pre>{@code
 * try (CudaDevice gpu = CudaDevice.open(0)) {
 *     System.out.println(gpu.name());   // NVIDIA H100 80GB HBM3 (sm_90)
 * }
 * }</pre>
 */
public final class CudaDevice implements Device {

    /** Where the build puts the kernels (see src/main/cuda/build-fatbin.sh). */
    public static final String FATBIN = "/org/recurrent4j/cuda/recurrent.fatbin";
    /** The oldest GPU the fatbin has code for. */
    public static final int MIN_COMPUTE_CAPABILITY = 80;

    private static CudaDevice shared;

    private final CUdevice device;
    private final CUcontext context;
    private final CUmodule module;
    private final Map<String, CUfunction> functions = new HashMap<>();
    private final String name;
    private final int computeCapability;
    private boolean closed;

    private CudaDevice(CUdevice device, CUcontext context, CUmodule module, String name, int computeCapability) {
        this.device = device;
        this.context = context;
        this.module = module;
        this.name = name;
        this.computeCapability = computeCapability;
    }

    /**
     * Opens GPU {@code ordinal} on its primary context and loads the kernels.
     *
     * @throws CudaUnavailableException with the reason and the fix: no kernels in this build, no driver, no such
     *                                  GPU, a GPU older than sm_80, or a driver too old for the kernels
     */
    public static CudaDevice open(int ordinal) {
        byte[] fatbin = fatbin();
        if (fatbin == null) {
            throw new CudaUnavailableException("recurrent4j-cuda was built without its GPU kernels (" + FATBIN
                    + " is missing): rebuild it with nvcc on the PATH or CUDA_HOME set");
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new CudaUnavailableException("the NVIDIA driver library libcuda.so.1 could not be loaded ("
                    + rootCause(e) + "): install the NVIDIA driver, or use --backend cpu");
        } catch (CudaException e) {
            throw new CudaUnavailableException("the CUDA driver did not start (" + e.getMessage()
                    + "): check nvidia-smi, or use --backend cpu");
        }
        int[] count = new int[1];
        cuDeviceGetCount(count);
        if (ordinal < 0 || ordinal >= count[0]) {
            throw new CudaUnavailableException("there is no GPU " + ordinal + ": the driver sees " + count[0]);
        }
        CUdevice dev = new CUdevice();
        cuDeviceGet(dev, ordinal);
        byte[] raw = new byte[256];
        cuDeviceGetName(raw, raw.length, dev);
        String gpu = new String(raw, StandardCharsets.US_ASCII).trim().replace("\0", "");
        int[] major = new int[1];
        int[] minor = new int[1];
        cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
        cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
        int cc = major[0] * 10 + minor[0];
        String label = gpu + " (sm_" + cc + ")";
        if (cc < MIN_COMPUTE_CAPABILITY) {
            throw new CudaUnavailableException("recurrent4j's CUDA kernels need sm_80 or newer; " + label
                    + " is older: use ND4J CUDA 11.6 (mvn -Pcuda-natives) or --backend cpu");
        }
        CUcontext ctx = new CUcontext();
        cuDevicePrimaryCtxRetain(ctx, dev);
        cuCtxSetCurrent(ctx);
        CUmodule module = new CUmodule();
        try {
            cuModuleLoadData(module, fatbin);
        } catch (CudaException e) {
            cuDevicePrimaryCtxRelease(dev);
            throw new CudaUnavailableException("the GPU kernels did not load on " + label + " (" + e.getMessage()
                    + "): the driver may be older than the nvcc that built them; update the NVIDIA driver");
        }
        return new CudaDevice(dev, ctx, module, label, cc);
    }

    /** JCuda's load error lists every attempt with its stack trace: the line that names the missing library. */
    private static String rootCause(Throwable e) {
        String m = String.valueOf(e.getMessage());
        String cause = null;
        for (String line : m.split("\n")) {
            if (line.contains("UnsatisfiedLinkError") && line.contains(".so")) {
                cause = line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return cause != null ? cause : m.lines().findFirst().orElse(m);
    }

    /** GPU 0, opened once per JVM and shared by every layer; never closed before the JVM exits. */
    public static synchronized CudaDevice shared() {
        if (shared == null) {
            shared = open(0);
        }
        return shared;
    }

    /** Whether this build carries the GPU kernels. */
    public static boolean hasKernels() {
        return CudaDevice.class.getResource(FATBIN) != null;
    }

    private static byte[] fatbin() {
        try (InputStream in = CudaDevice.class.getResourceAsStream(FATBIN)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new CudaUnavailableException("the GPU kernels " + FATBIN + " could not be read: " + e.getMessage());
        }
    }

    @Override
    public String name() {
        return name;
    }

    public int computeCapability() {
        return computeCapability;
    }

    private final class Buffer implements DeviceBuffer {
        final CUdeviceptr ptr;
        final long floats;
        boolean freed;

        Buffer(CUdeviceptr ptr, long floats) {
            this.ptr = ptr;
            this.floats = floats;
        }

        @Override
        public long floats() {
            return floats;
        }

        @Override
        public synchronized void close() {
            if (!freed && !closed) {
                current();
                cuMemFree(ptr);
            }
            freed = true;
        }
    }

    @Override
    public DeviceBuffer alloc(long floats) {
        current();
        CUdeviceptr p = new CUdeviceptr();
        cuMemAlloc(p, Math.max(1, floats) * Float.BYTES);
        return new Buffer(p, floats);
    }

    @Override
    public void upload(Ptr dst, float[] src, int from, int count) {
        current();
        cuMemcpyHtoD(address(dst), Pointer.to(src).withByteOffset((long) from * Float.BYTES),
                (long) count * Float.BYTES);
    }

    @Override
    public void download(Ptr src, float[] dst, int from, int count) {
        current();
        cuMemcpyDtoH(Pointer.to(dst).withByteOffset((long) from * Float.BYTES), address(src),
                (long) count * Float.BYTES);
    }

    @Override
    public void fill(Ptr dst, long count, float value) {
        current();
        cuMemsetD32(address(dst), Float.floatToRawIntBits(value), count);
    }

    @Override
    public void launch(String kernel, int gridX, int gridY, int blockX, int blockY, Object... args) {
        current();
        Pointer[] params = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Ptr p) {
                params[i] = Pointer.to(p.isNull() ? new CUdeviceptr() : address(p));
            } else if (a instanceof Integer v) {
                params[i] = Pointer.to(new int[]{v});
            } else if (a instanceof Float v) {
                params[i] = Pointer.to(new float[]{v});
            } else {
                throw new IllegalArgumentException(kernel + ": argument " + i + " of type " + a.getClass()
                        + " is not a kernel argument");
            }
        }
        cuLaunchKernel(function(kernel), gridX, gridY, 1, blockX, blockY, 1, 0, null, Pointer.to(params), null);
    }

    @Override
    public void synchronize() {
        current();
        cuCtxSynchronize();
    }

    /** Releases the primary context; memory still allocated through this device is freed with it. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            cuDevicePrimaryCtxRelease(device);
        }
    }

    private synchronized CUfunction function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> {
            CUfunction f = new CUfunction();
            cuModuleGetFunction(f, module, k);
            return f;
        });
    }

    private void current() {
        if (closed) {
            throw new IllegalStateException(name + " was closed");
        }
        cuCtxSetCurrent(context);
    }

    private static CUdeviceptr address(Ptr p) {
        if (!(p.buffer() instanceof Buffer b)) {
            throw new IllegalArgumentException("not a pointer into this GPU's memory: " + p);
        }
        return b.ptr.withByteOffset(p.offset() * Float.BYTES);
    }
}
