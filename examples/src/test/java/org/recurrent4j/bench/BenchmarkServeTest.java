package org.recurrent4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** {@code bench --serve}, the side of the alternating speed table (tools/speed_table.py) that runs in the JVM. */
class BenchmarkServeTest {

    @Test
    void answersEveryCommandWithOneJsonLineNamesWhatItCannotDoAndStopsAtQuit() throws IOException {
        BenchConfig tiny = new BenchConfig("gru", 2, 3, 4, 5, 1, false, "infer", 1, 1);
        String commands = String.join("\n", "run recurrent4j 3", "warm dl4j", "frobnicate 1", "warm recurrent4j",
                "run recurrent4j 0", "run recurrent4j 99999999999", "run recurrent4j 4", "quit", "warm recurrent4j") + "\n";
        StringWriter out = new StringWriter();
        new Benchmark(tiny).serve(new BufferedReader(new StringReader(commands)), new PrintWriter(out));

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> answers = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            answers.add(json.readTree(line));
        }
        assertEquals(7, answers.size(), "one answer a command, none after quit: " + out);
        assertTrue(error(answers.get(0)).contains("not warmed up; send 'warm recurrent4j' first"), out.toString());
        assertTrue(error(answers.get(1)).contains("DL4J has no gru"), out.toString());
        assertTrue(error(answers.get(2)).contains("unknown command 'frobnicate 1'"), out.toString());

        JsonNode warm = answers.get(3);
        assertEquals("recurrent4j", warm.get("impl").asText(), out.toString());
        assertTrue(warm.get("warm_iters").asInt() >= 200, "warm-up keeps the bench's rule: " + warm);
        assertTrue(warm.get("ms_per_iter").asDouble() > 0, warm.toString());

        assertTrue(error(answers.get(4)).contains("run recurrent4j 0: the count of iterations must be a whole "
                + "number from 1 to 2147483647"), out.toString());
        assertTrue(error(answers.get(5)).contains("run recurrent4j 99999999999: the count of iterations must be"),
                out.toString());

        JsonNode block = answers.get(6);
        assertEquals(4, block.get("iters").asInt(), block.toString());
        double min = block.get("min_ms").asDouble();
        double median = block.get("ms_per_iter").asDouble();
        assertTrue(0 < min && min <= median && median <= block.get("max_ms").asDouble(), block.toString());
    }

    private static String error(JsonNode answer) {
        assertTrue(answer.has("error"), "expected an error, got " + answer);
        return answer.get("error").asText();
    }
}
