package org.recurrent4j.backend;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * The C library's environment of this process, which native libraries read with {@code getenv} when they load. Java
 * can only read its own copy, taken at start-up ({@link System#getenv}); this sets variables where native code sees
 * them, through JavaCPP's view of the C symbol {@code environ}.
 */
final class NativeEnvironment {

    /** Arrays and strings handed to the C library stay allocated for the life of the process. */
    private static final List<Pointer> KEPT = new ArrayList<>();

    private NativeEnvironment() {
    }

    /** {@code getenv(name)} as native code sees it; null where unset or where the environment cannot be read. */
    static synchronized String get(String name) {
        PointerPointer<BytePointer> entries = entries();
        if (entries == null) {
            return null;
        }
        String prefix = name + "=";
        for (int i = 0; entries.get(i) != null; i++) {
            String entry = entries.getString(i);
            if (entry.startsWith(prefix)) {
                return entry.substring(prefix.length());
            }
        }
        return null;
    }

    /**
     * Sets {@code name=value} for native code loaded from now on. Builds a new array with the entry replaced or added,
     * then swaps the one pointer: a concurrent {@code getenv} sees either array, both valid.
     *
     * @return false where this platform's C library offers no {@code environ} to JavaCPP
     */
    static synchronized boolean set(String name, String value) {
        Pointer cell = environCell();
        PointerPointer<BytePointer> entries = entries();
        if (cell == null || entries == null) {
            return false;
        }
        String prefix = name + "=";
        int n = 0;
        int replace = -1;
        while (entries.get(n) != null) {
            if (replace < 0 && entries.getString(n).startsWith(prefix)) {
                replace = n;
            }
            n++;
        }
        BytePointer entry = new BytePointer(prefix + value);
        PointerPointer<BytePointer> fresh = new PointerPointer<>(n + 2L);
        for (int i = 0; i < n; i++) {
            fresh.put(i, i == replace ? entry : entries.get(i));
        }
        int end = n;
        if (replace < 0) {
            fresh.put(n, entry);
            end = n + 1;
        }
        fresh.put(end, (Pointer) null);
        KEPT.add(entry.retainReference());
        KEPT.add(fresh.retainReference());
        new PointerPointer<>(cell).put(0, fresh);
        return true;
    }

    /** The address of the variable {@code environ}; null where the C library does not export it. */
    private static Pointer environCell() {
        try {
            Loader.load(org.bytedeco.javacpp.presets.javacpp.class);
            return Loader.addressof("environ");
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    private static PointerPointer<BytePointer> entries() {
        Pointer cell = environCell();
        if (cell == null) {
            return null;
        }
        Pointer array = new PointerPointer<>(cell).get(0);
        return array == null ? null : new PointerPointer<>(array);
    }
}
