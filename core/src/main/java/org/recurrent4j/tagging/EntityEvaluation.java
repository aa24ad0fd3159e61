package org.recurrent4j.tagging;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Entity-level precision, recall and F1 per type and micro-averaged, with conlleval's semantics: a predicted span
 * counts when its boundaries and type both match a gold span. Token accuracy beside them.
 */
public final class EntityEvaluation {

    /** Counts of one entity type. */
    public record Counts(int correct, int predicted, int gold) {
        public double precision() {
            return predicted == 0 ? 0 : (double) correct / predicted;
        }

        public double recall() {
            return gold == 0 ? 0 : (double) correct / gold;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    private final Map<String, int[]> byType = new TreeMap<>();
    private long tokens;
    private long correctTokens;

    /** Adds one sentence's gold and predicted tags. */
    public void add(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold has " + gold.size() + " tags, prediction " + predicted.size());
        }
        for (int i = 0; i < gold.size(); i++) {
            tokens++;
            if (gold.get(i).equals(predicted.get(i))) {
                correctTokens++;
            }
        }
        List<Span> g = TagScheme.spans(gold);
        List<Span> p = TagScheme.spans(predicted);
        Set<Span> gs = new HashSet<>(g);
        for (Span s : g) {
            byType.computeIfAbsent(s.type(), k -> new int[3])[2]++;
        }
        for (Span s : p) {
            int[] c = byType.computeIfAbsent(s.type(), k -> new int[3]);
            c[1]++;
            if (gs.contains(s)) {
                c[0]++;
            }
        }
    }

    public Map<String, Counts> perType() {
        Map<String, Counts> m = new TreeMap<>();
        byType.forEach((k, v) -> m.put(k, new Counts(v[0], v[1], v[2])));
        return m;
    }

    public Counts micro() {
        int c = 0;
        int p = 0;
        int g = 0;
        for (int[] v : byType.values()) {
            c += v[0];
            p += v[1];
            g += v[2];
        }
        return new Counts(c, p, g);
    }

    public double tokenAccuracy() {
        return tokens == 0 ? 0 : (double) correctTokens / tokens;
    }

    public long tokens() {
        return tokens;
    }

    /**
     * {@code {"token_accuracy":..., "precision":..., "recall":..., "f1":..., "per_type":{TYPE: {"precision", "recall",
     * "f1", "correct", "predicted", "gold"}}}}, written by a JSON library, so any type name is escaped right.
     */
    public String toJson() {
        Counts m = micro();
        Map<String, Object> root = new java.util.LinkedHashMap<>();
        root.put("token_accuracy", tokenAccuracy());
        root.put("precision", m.precision());
        root.put("recall", m.recall());
        root.put("f1", m.f1());
        Map<String, Object> types = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Counts> e : perType().entrySet()) {
            Counts c = e.getValue();
            Map<String, Object> t = new java.util.LinkedHashMap<>();
            t.put("precision", c.precision());
            t.put("recall", c.recall());
            t.put("f1", c.f1());
            t.put("correct", c.correct());
            t.put("predicted", c.predicted());
            t.put("gold", c.gold());
            types.put(e.getKey(), t);
        }
        root.put("per_type", types);
        try {
            return new org.nd4j.shade.jackson.databind.ObjectMapper().writeValueAsString(root);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);   // maps of strings and numbers always serialise
        }
    }

    /** A table as conlleval prints it. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        Counts m = micro();
        sb.append(String.format(Locale.ROOT, "tokens %d, token accuracy %.2f%%%n", tokens, 100 * tokenAccuracy()));
        if (byType.isEmpty()) {
            return sb.toString();   // plain labels (part of speech): no entities to score
        }
        sb.append(String.format(Locale.ROOT, "%-10s %9s %9s %9s %8s %8s%n", "type", "precision", "recall", "F1",
                "gold", "found"));
        for (Map.Entry<String, Counts> e : perType().entrySet()) {
            Counts c = e.getValue();
            sb.append(String.format(Locale.ROOT, "%-10s %8.2f%% %8.2f%% %8.2f%% %8d %8d%n", e.getKey(),
                    100 * c.precision(), 100 * c.recall(), 100 * c.f1(), c.gold(), c.predicted()));
        }
        sb.append(String.format(Locale.ROOT, "%-10s %8.2f%% %8.2f%% %8.2f%% %8d %8d%n", "all", 100 * m.precision(),
                100 * m.recall(), 100 * m.f1(), m.gold(), m.predicted()));
        return sb.toString();
    }
}
