package org.recurrent4j.io;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Reads a zip archive that came from elsewhere (a model, a checkpoint) into memory with bounds: at most
 * {@link #MAX_ENTRIES} entries, each name at most once, each entry and the whole archive at most
 * {@link #MAX_TOTAL_BYTES} bytes uncompressed and at most {@link #MAX_RATIO} times the archive's own size (a
 * deflate bomb expands a thousandfold; models and checkpoints, mostly numbers, barely compress). Sizes are counted as
 * the bytes come, not taken from the headers, which a crafted archive can fill with anything. Entry names are only
 * ever keys: nothing is written to disk under them.
 */
public final class BoundedZip {

    /** Entries an archive may hold. */
    public static final int MAX_ENTRIES = 64;
    /** Uncompressed bytes per archive (and so per entry): 2 GiB, a Java array's limit. */
    public static final long MAX_TOTAL_BYTES = Integer.MAX_VALUE - 8;
    /** Uncompressed bytes per compressed byte, over the whole archive (plus 1 MiB for small archives). */
    public static final int MAX_RATIO = 200;

    private BoundedZip() {
    }

    /**
     * What an entry of a format may be: at most {@code maxBytes} uncompressed, and, where {@code head} is not null,
     * its first bytes checked as soon as they are there ({@link #HEAD_BYTES} of them, or all of a shorter entry):
     * {@code head} throws where they are not what the format writes, and returns how many bytes the entry may have
     * given what its header declares.
     */
    public record Entry(long maxBytes, Head head) {
        public static Entry upTo(long maxBytes) {
            return new Entry(maxBytes, null);
        }
    }

    /** A check of an entry's first bytes; see {@link Entry}. */
    @FunctionalInterface
    public interface Head {
        /** @return the most bytes the whole entry may have */
        long limit(byte[] head, String what) throws IOException;
    }

    /** Bytes of an entry that its {@link Head} check sees. */
    public static final int HEAD_BYTES = 4096;

    /**
     * The entries of {@code file}, in order.
     *
     * @param entries the entry names the format has, and what each may be; any other name is an error (null: any
     *                name, up to the archive's bounds)
     * @param format  the format, for messages ("a recurrent4j tagger model")
     * @throws IOException naming {@code file} and what is wrong: not a zip, damaged, cut short, too many or too large
     *                     entries, a name twice or a name the format does not have, an entry whose first bytes are not
     *                     what the format writes, or more than this JVM's free memory would hold
     */
    public static Map<String, byte[]> read(Path file, Map<String, Entry> entries, String format) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, size, file.toString(), entries, format);
        }
    }

    /** As {@link #read(Path, Map, String)}, for an archive held in memory (a zip inside a zip); {@code what} names it. */
    public static Map<String, byte[]> read(byte[] archive, String what, Map<String, Entry> entries, String format)
            throws IOException {
        return read(new ByteArrayInputStream(archive), archive.length, what, entries, format);
    }

    private static Map<String, byte[]> read(InputStream in, long compressed, String what, Map<String, Entry> spec,
                                            String format) throws IOException {
        long budget = Math.min(MAX_TOTAL_BYTES, compressed * MAX_RATIO + (1L << 20));
        // what the heap can still take: an entry is gathered in a growing array (up to twice its size, then copied,
        // three times its size at the peak) beside the entries before it; a quarter of the free heap leaves room
        Runtime rt = Runtime.getRuntime();
        long heap = (rt.maxMemory() - (rt.totalMemory() - rt.freeMemory())) / 4;
        boolean heapBound = heap < budget;
        budget = Math.min(budget, heap);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                String where = what + "!" + printable(name);
                if (entries.size() == MAX_ENTRIES) {
                    throw new IOException(what + " has more than " + MAX_ENTRIES + " entries: not " + format);
                }
                Entry kind = spec == null ? Entry.upTo(MAX_TOTAL_BYTES) : spec.get(name);
                if (kind == null) {
                    throw new UnexpectedEntryException(what + " is not " + format + ": it holds an entry '"
                            + printable(name) + "', and " + format + " holds only "
                            + new java.util.TreeSet<>(spec.keySet()), name);
                }
                if (entries.containsKey(name)) {
                    throw new IOException(what + " holds the entry '" + printable(name) + "' twice");
                }
                long limit = kind.maxBytes();
                boolean headChecked = kind.head() == null;
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[1 << 16];
                for (int n; (n = zip.read(buf)) > 0; ) {
                    total += n;
                    if (total > budget) {
                        throw new IOException(what + " expands to more than " + budget + " bytes (entry '"
                                + printable(name) + "'): " + (heapBound ? "more than this JVM's free memory; a "
                                + "damaged or crafted archive, or give Java more memory (-Xmx)"
                                : "a damaged or crafted archive"));
                    }
                    out.write(buf, 0, n);
                    if (!headChecked && out.size() >= HEAD_BYTES) {
                        limit = Math.min(limit, kind.head().limit(out.toByteArray(), where));
                        headChecked = true;
                    }
                    if (out.size() > limit) {
                        throw new IOException(where + " holds more than " + limit + " bytes, more than "
                                + (limit < kind.maxBytes() ? "its header declares" : format + " has there")
                                + ": damaged or crafted");
                    }
                }
                byte[] bytes = out.toByteArray();
                if (!headChecked) {
                    kind.head().limit(bytes, where);
                }
                entries.put(name, bytes);
            }
        } catch (ZipException | EOFException e) {
            throw new IOException(what + " is not a readable zip archive (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {   // ZipInputStream on a malformed entry name
            throw new IOException(what + " is not a readable zip archive (" + e.getMessage() + ")");
        }
        if (entries.isEmpty()) {
            throw new IOException(what + " is not " + format + " (not a zip archive, or an empty one)");
        }
        return entries;
    }

    /** An archive holding an entry its format does not have; {@link #entry()} names it, for a caller's own hint. */
    public static final class UnexpectedEntryException extends IOException {
        private final String entry;

        UnexpectedEntryException(String message, String entry) {
            super(message);
            this.entry = entry;
        }

        public String entry() {
            return entry;
        }
    }

    /** An entry name as it may appear in a message: control characters escaped, at most 80 characters. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < 80; i++) {
            char c = name.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return name.length() > 80 ? b + "..." : b.toString();
    }
}
