package org.recurrent4j.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.recurrent4j.io.AtomicFiles;

/** A bar chart of bench results (JSON lines), one group per configuration, one bar per implementation. */
public final class BenchChart {

    private BenchChart() {
    }

    /** Reads JSON lines as written by {@code bench --json} (and {@code tools/torch_bench.py --json}). */
    @SuppressWarnings("unchecked")
    public static DefaultCategoryDataset read(List<Path> files) throws IOException {
        ObjectMapper json = new ObjectMapper();
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Path f : files) {
            int lineNo = 0;
            for (String line : Files.readAllLines(f)) {
                lineNo++;
                if (line.isBlank() || !line.trim().startsWith("{")) {
                    continue;
                }
                Map<String, Object> r;
                try {
                    r = json.readValue(line, Map.class);
                } catch (IOException e) {
                    throw new IOException(f + ":" + lineNo + ": not a JSON object: " + e.getMessage());
                }
                for (String k : new String[]{"impl", "cell", "mode", "hidden", "ms_per_iter"}) {
                    if (!r.containsKey(k)) {
                        throw new IOException(f + ":" + lineNo + ": missing field '" + k + "'");
                    }
                }
                String group = r.get("cell") + " " + r.get("mode") + " h" + r.get("hidden")
                        + (Boolean.TRUE.equals(r.get("bidirectional")) ? " bi" : "");
                data.addValue(((Number) r.get("ms_per_iter")).doubleValue(), (String) r.get("impl"), group);
            }
        }
        if (data.getRowCount() == 0) {
            throw new IOException("no bench results in " + files);
        }
        return data;
    }

    /** Writes the chart as a PNG, atomically. */
    public static void write(DefaultCategoryDataset data, String title, Path png) throws IOException {
        JFreeChart chart = ChartFactory.createBarChart(title, "configuration", "ms per iteration (lower is better)",
                data, PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.GRAY);
        // streaming steps take a millisecond, training steps a second: a log scale shows both
        LogAxis range = new LogAxis("ms per iteration, log scale (lower is better)");
        range.setSmallestValue(0.01);
        plot.setRangeAxis(range);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        AtomicFiles.write(png, tmp -> ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 1000, 520));
    }
}
