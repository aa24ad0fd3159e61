package org.recurrent4j.bench;

import java.util.Locale;

/** The median time of one implementation on one configuration, and the memory it peaked at. */
public record BenchResult(String impl, BenchConfig config, double msPerIter, long peakHeapBytes,
                          long peakOffHeapBytes) {

    public double tokensPerSecond() {
        return config.tokensPerIter() * 1000.0 / msPerIter;
    }

    /** One line of JSON, the fields in the order the README documents. */
    public String toJson() {
        BenchConfig c = config;
        return String.format(Locale.ROOT, "{\"impl\":\"%s\",\"cell\":\"%s\",\"mode\":\"%s\",\"batch\":%d,\"time\":%d,"
                        + "\"input\":%d,\"hidden\":%d,\"layers\":%d,\"bidirectional\":%b,\"ms_per_iter\":%.3f,"
                        + "\"tokens_per_s\":%.1f,\"peak_heap_mb\":%.1f,\"peak_offheap_mb\":%.1f}",
                impl, c.cell(), c.mode(), c.mode().equals("step") ? 1 : c.batch(), c.time(), c.input(), c.hidden(),
                c.layers(), c.bidirectional(), msPerIter, tokensPerSecond(), peakHeapBytes / 1048576.0,
                peakOffHeapBytes / 1048576.0);
    }
}
