package org.recurrent4j.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers, and a crash at any moment, see either the old file or the complete new one: the
 * content goes to a temporary file beside the target, is synced to the disk, and is renamed over the target.
 */
public final class AtomicFiles {

    /** Writes the content of one file. */
    @FunctionalInterface
    public interface Writer {
        void write(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Checks, before any work, that {@link #write} can write {@code target}: not a directory, not another non-regular
     * file (a device, a pipe: renaming over it would replace it), its nearest existing parent a writable directory
     * (missing ones are created when it is written), and none of {@code inputs} (see {@link #requireDistinct}).
     *
     * @throws IOException naming {@code target} and what is wrong
     */
    public static void checkWritable(Path target, Path... inputs) throws IOException {
        if (Files.isDirectory(target)) {
            throw new IOException(target + " is a directory: name the file to write, e.g. "
                    + target.resolve("model.zip"));
        }
        requireRegularIfExists(target);
        requireDistinct(target, inputs);
        for (Path p = target.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new IOException(target + ": " + p + " is a file, not a directory");
                }
                if (!Files.isWritable(p)) {
                    throw new IOException(target + ": cannot write into " + p);
                }
                return;
            }
        }
    }

    private static void requireRegularIfExists(Path target) throws IOException {
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            throw new IOException(target + " exists and is not a regular file (a directory, device or pipe): name a "
                    + "file to write");
        }
    }

    /**
     * Refuses to write {@code target} where it is one of the files a command reads ({@code inputs}; null ones are
     * skipped): writing would destroy the input.
     *
     * @throws IOException naming both
     */
    public static void requireDistinct(Path target, Path... inputs) throws IOException {
        Path t = target.toAbsolutePath().normalize();
        for (Path in : inputs) {
            if (in == null) {
                continue;
            }
            boolean same = t.equals(in.toAbsolutePath().normalize())
                    || (Files.exists(target) && Files.exists(in) && Files.isSameFile(target, in));
            if (same) {
                throw new IOException(target + " is also the input " + in + ": writing it would destroy the input; "
                        + "name another output file");
            }
        }
    }

    /**
     * Writes {@code target} through {@code writer}; missing parent directories are created.
     *
     * @throws IOException naming {@code target} where it exists and is not a regular file (a directory, a device, a
     *                     pipe: renaming over it would replace it) or where no file can be made beside it
     */
    public static void write(Path target, Writer writer) throws IOException {
        requireRegularIfExists(target);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
        } catch (IOException e) {
            throw new IOException(target + ": cannot write a file in " + dir + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        }
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the default permissions stay
            }
            writer.write(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
