package org.recurrent4j.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * recurrent.cu's kernels compiled as C++ against {@code src/test/cuda/cuda_emu.h} and run in a child process (see
 * {@code emu_main.cpp} for the protocol), behind the same {@link Device} interface as a GPU: CI checks the kernels and
 * the launch sequence of {@link GpuRecurrent} without one. Built with AddressSanitizer where the compiler has it, so
 * a kernel that reads or writes outside a buffer fails the test.
 */
final class EmulatedDevice implements Device {

    private static final Path SOURCES = Path.of("src", "test", "cuda");
    private static final Path KERNELS = Path.of("src", "main", "cuda");
    private static final Path BINARY = Path.of("target", "cuda-emu", "emu");

    private final Process process;
    private final OutputStream out;
    private final DataInputStream in;
    private final Path stderr;

    private EmulatedDevice(Process process, Path stderr) {
        this.process = process;
        this.out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        this.stderr = stderr;
    }

    /** Null where no C++20 compiler is on the PATH; the tests then skip. */
    static synchronized Path build() throws IOException, InterruptedException {
        Path sourceDir = SOURCES.toAbsolutePath();
        long newest = Math.max(newest(SOURCES), newest(KERNELS));
        if (Files.isExecutable(BINARY) && Files.getLastModifiedTime(BINARY).toMillis() >= newest) {
            return BINARY;
        }
        Files.createDirectories(BINARY.getParent());
        for (List<String> flags : List.of(List.of("-fsanitize=address,undefined"), List.<String>of())) {
            List<String> cmd = new ArrayList<>(List.of("g++", "-std=c++20", "-O1", "-g", "-pthread"));
            cmd.addAll(flags);
            cmd.addAll(List.of("-I" + sourceDir, "-I" + KERNELS.toAbsolutePath(),
                    sourceDir.resolve("emu_main.cpp").toString(), "-o", BINARY.toString()));
            Process p;
            try {
                p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            } catch (IOException e) {
                return null;   // no g++
            }
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                return BINARY;
            }
            if (flags.isEmpty()) {
                throw new IllegalStateException("the CUDA emulator did not compile:\n" + log);
            }
        }
        return null;
    }

    private static long newest(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.mapToLong(f -> f.toFile().lastModified()).max().orElse(0);
        }
    }

    private static EmulatedDevice shared;
    private static boolean tried;

    /**
     * One emulated device for the whole test run, built and started on first use and stopped when the JVM exits;
     * null where no C++20 compiler is on the PATH (the tests then skip).
     */
    static synchronized EmulatedDevice shared() throws IOException, InterruptedException {
        if (!tried) {
            tried = true;
            Path binary = build();
            if (binary != null) {
                shared = start(binary);
                EmulatedDevice d = shared;
                Runtime.getRuntime().addShutdownHook(new Thread(d::close));
            }
        }
        return shared;
    }

    /** The message of a test skipped for want of a compiler. */
    static final String NO_COMPILER = "no C++20 compiler (g++) to build the CUDA emulator";

    static EmulatedDevice start(Path binary) throws IOException {
        Path err = Files.createTempFile("cuda-emu", ".log");
        ProcessBuilder pb = new ProcessBuilder(binary.toString()).redirectError(err.toFile());
        pb.environment().put("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=0");
        return new EmulatedDevice(pb.start(), err);
    }

    @Override
    public String name() {
        return "CUDA emulation on the CPU";
    }

    private final class Buffer implements DeviceBuffer {
        final int id;
        final long floats;

        Buffer(int id, long floats) {
            this.id = id;
            this.floats = floats;
        }

        @Override
        public long floats() {
            return floats;
        }

        @Override
        public void close() {
            if (process.isAlive()) {
                call(request('F').putInt(id), 0);
            }
        }
    }

    @Override
    public DeviceBuffer alloc(long floats) {
        ByteBuffer r = call(request('A').putLong(floats), 4);
        return new Buffer(r.getInt(), floats);
    }

    @Override
    public void upload(Ptr dst, float[] src, int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(32 + 4 * count).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'U').putInt(id(dst)).putLong(dst.offset()).putLong(count);
        b.asFloatBuffer().put(src, from, count);
        b.position(b.position() + 4 * count);
        call(b, 0);
    }

    @Override
    public void download(Ptr src, float[] dst, int from, int count) {
        ByteBuffer r = call(request('D').putInt(id(src)).putLong(src.offset()).putLong(count), 4L * count);
        r.asFloatBuffer().get(dst, from, count);
    }

    @Override
    public void fill(Ptr dst, long count, float value) {
        call(request('S').putInt(id(dst)).putLong(dst.offset()).putLong(count).putInt(Float.floatToRawIntBits(value)),
                0);
    }

    @Override
    public void launch(String kernel, int gridX, int gridY, int blockX, int blockY, Object... args) {
        byte[] name = kernel.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(64 + name.length + 16 * args.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'L').putShort((short) name.length).put(name);
        b.putInt(gridX).putInt(gridY).putInt(blockX).putInt(blockY).putShort((short) args.length);
        for (Object a : args) {
            if (a instanceof Ptr p) {
                b.put((byte) 'p').putInt(p.isNull() ? -1 : id(p)).putLong(p.offset());
            } else if (a instanceof Integer i) {
                b.put((byte) 'i').putInt(i);
            } else if (a instanceof Float f) {
                b.put((byte) 'f').putFloat(f);
            } else {
                throw new IllegalArgumentException(kernel + ": argument of type " + a.getClass() + " is not a kernel "
                        + "argument");
            }
        }
        call(b, 0);
    }

    @Override
    public void synchronize() {
        // every call already waits for its reply
    }

    @Override
    public void close() {
        try {
            out.write('Q');
            out.flush();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // already gone
        } finally {
            process.destroyForcibly();
        }
    }

    private int id(Ptr p) {
        if (!(p.buffer() instanceof Buffer b)) {
            throw new IllegalArgumentException("pointer into another device's memory");
        }
        return b.id;
    }

    private static ByteBuffer request(char cmd) {
        return ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).put((byte) cmd);
    }

    private synchronized ByteBuffer call(ByteBuffer request, long replyBytes) {
        try {
            out.write(request.array(), 0, request.position());
            out.flush();
            int status = in.read();
            if (status == 0) {
                byte[] reply = new byte[(int) replyBytes];
                in.readFully(reply);
                return ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
            }
            if (status == 1) {
                byte[] len = new byte[4];
                in.readFully(len);
                byte[] msg = new byte[ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt()];
                in.readFully(msg);
                throw new IllegalStateException("emulated device: " + new String(msg, StandardCharsets.UTF_8));
            }
            throw new IllegalStateException("the emulated device died: " + diagnostics());
        } catch (IOException e) {
            throw new UncheckedIOException("the emulated device died: " + diagnostics(), e);
        }
    }

    private String diagnostics() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            String log = Files.readString(stderr);
            return "exit " + (process.isAlive() ? "(running)" : process.exitValue()) + "\n"
                    + log.substring(Math.max(0, log.length() - 4000));
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }
}
