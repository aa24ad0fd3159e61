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
import java.util.Set;
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
     * The entries of {@code file}, in order.
     *
     * @param allowed the entry names the format has; any other is an error (null: any name)
     * @param format  the format, for messages ("a recurrent4j tagger model")
     * @throws IOException naming {@code file} and what is wrong: not a zip, damaged, cut short, too many or too large
     *                     entries, a name twice or a name the format does not have
     */
    public static Map<String, byte[]> read(Path file, Set<String> allowed, String format) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, size, file.toString(), allowed, format);
        }
    }

    /** As {@link #read(Path, Set, String)}, for an archive held in memory (a zip inside a zip); {@code what} names it. */
    public static Map<String, byte[]> read(byte[] archive, String what, Set<String> allowed, String format)
            throws IOException {
        return read(new ByteArrayInputStream(archive), archive.length, what, allowed, format);
    }

    private static Map<String, byte[]> read(InputStream in, long compressed, String what, Set<String> allowed,
                                            String format) throws IOException {
        long budget = Math.min(MAX_TOTAL_BYTES, compressed * MAX_RATIO + (1L << 20));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                if (entries.size() == MAX_ENTRIES) {
                    throw new IOException(what + " has more than " + MAX_ENTRIES + " entries: not " + format);
                }
                if (allowed != null && !allowed.contains(name)) {
                    throw new IOException(what + " is not " + format + ": it holds an entry '" + printable(name)
                            + "', and " + format + " holds only " + new java.util.TreeSet<>(allowed));
                }
                if (entries.containsKey(name)) {
                    throw new IOException(what + " holds the entry '" + printable(name) + "' twice");
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[1 << 16];
                for (int n; (n = zip.read(buf)) > 0; ) {
                    total += n;
                    if (total > budget) {
                        throw new IOException(what + " expands to more than " + budget + " bytes (entry '"
                                + printable(name) + "'): a damaged or crafted archive");
                    }
                    out.write(buf, 0, n);
                }
                entries.put(name, out.toByteArray());
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
