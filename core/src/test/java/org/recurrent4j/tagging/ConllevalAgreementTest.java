package org.recurrent4j.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EntityEvaluation} against conlleval, the CoNLL shared tasks' scorer, ported line by line below from
 * conlleval.pl (version 2004-01-26: its endOfChunk, startOfChunk and main loop, sentence boundaries read as O):
 * correct, predicted and gold chunk counts per type and token accuracy equal on OpenNLP's CoNLL-2003 samples (IOB1
 * gold tags) against 400 predictions made by corrupting them (wrong types, B/I swapped, tags dropped, I- after O,
 * chunks run together), in IOB1 and in IOB2.
 */
class ConllevalAgreementTest {

    @TempDir
    Path dir;

    /** conlleval's counts: per type {correct, guessed, gold}, and correct tags / tokens. */
    static final class Conlleval {
        final Map<String, int[]> byType = new TreeMap<>();
        int correctTags;
        int tokens;

        private static boolean endOfChunk(String prevTag, String tag, String prevType, String type) {
            boolean end = false;
            end |= prevTag.equals("B") && tag.equals("B");
            end |= prevTag.equals("B") && tag.equals("O");
            end |= prevTag.equals("I") && tag.equals("B");
            end |= prevTag.equals("I") && tag.equals("O");
            end |= prevTag.equals("E") && tag.equals("E");
            end |= prevTag.equals("E") && tag.equals("I");
            end |= prevTag.equals("E") && tag.equals("O");
            end |= !prevTag.equals("O") && !prevTag.equals(".") && !prevType.equals(type);
            end |= prevTag.equals("]") || prevTag.equals("[");
            return end;
        }

        private static boolean startOfChunk(String prevTag, String tag, String prevType, String type) {
            boolean start = false;
            start |= prevTag.equals("B") && tag.equals("B");
            start |= prevTag.equals("I") && tag.equals("B");
            start |= prevTag.equals("O") && tag.equals("B");
            start |= prevTag.equals("O") && tag.equals("I");
            start |= prevTag.equals("E") && tag.equals("E");
            start |= prevTag.equals("E") && tag.equals("I");
            start |= prevTag.equals("O") && tag.equals("E");
            start |= !tag.equals("O") && !tag.equals(".") && !prevType.equals(type);
            start |= tag.equals("[") || tag.equals("]");
            return start;
        }

        private int[] counts(String type) {
            return byType.computeIfAbsent(type, k -> new int[3]);
        }

        /** The main loop over one sentence, followed by the blank line that ends it. */
        void sentence(List<String> gold, List<String> guess) {
            String lastCorrect = "O";
            String lastCorrectType = "";
            String lastGuessed = "O";
            String lastGuessedType = "";
            boolean inCorrect = false;
            for (int i = 0; i <= gold.size(); i++) {
                boolean boundary = i == gold.size();
                String[] c = boundary ? new String[]{"O", ""} : split(gold.get(i));
                String[] g = boundary ? new String[]{"O", ""} : split(guess.get(i));
                String correct = c[0];
                String correctType = c[1];
                String guessed = g[0];
                String guessedType = g[1];
                if (inCorrect) {
                    boolean endC = endOfChunk(lastCorrect, correct, lastCorrectType, correctType);
                    boolean endG = endOfChunk(lastGuessed, guessed, lastGuessedType, guessedType);
                    if (endC && endG && lastGuessedType.equals(lastCorrectType)) {
                        inCorrect = false;
                        counts(lastCorrectType)[0]++;
                    } else if (endC != endG || !guessedType.equals(correctType)) {
                        inCorrect = false;
                    }
                }
                boolean startC = startOfChunk(lastCorrect, correct, lastCorrectType, correctType);
                boolean startG = startOfChunk(lastGuessed, guessed, lastGuessedType, guessedType);
                if (startC && startG && guessedType.equals(correctType)) {
                    inCorrect = true;
                }
                if (startC) {
                    counts(correctType)[2]++;
                }
                if (startG) {
                    counts(guessedType)[1]++;
                }
                if (!boundary) {
                    if (correct.equals(guessed) && guessedType.equals(correctType)) {
                        correctTags++;
                    }
                    tokens++;
                }
                lastGuessed = guessed;
                lastCorrect = correct;
                lastGuessedType = guessedType;
                lastCorrectType = correctType;
            }
            if (inCorrect) {
                counts(lastCorrectType)[0]++;
            }
        }

        /** conlleval's {@code split(/-/, $tag)} into two variables: the prefix, and the type or "". */
        private static String[] split(String tag) {
            String[] p = tag.split("-");
            return new String[]{p[0], p.length > 1 ? p[1] : ""};
        }
    }

    private static final String[] TYPES = {"PER", "ORG", "LOC", "MISC"};

    /** A prediction made from the gold tags by random corruptions. */
    static List<String> corrupt(List<String> gold, Random r) {
        List<String> p = new ArrayList<>(gold);
        for (int i = 0; i < p.size(); i++) {
            if (r.nextDouble() > 0.35) {
                continue;
            }
            String type = TYPES[r.nextInt(TYPES.length)];
            switch (r.nextInt(5)) {
                case 0 -> p.set(i, "O");
                case 1 -> p.set(i, "B-" + type);
                case 2 -> p.set(i, "I-" + type);
                case 3 -> p.set(i, p.get(i).startsWith("B-") ? "I-" + p.get(i).substring(2)
                        : p.get(i).startsWith("I-") ? "B-" + p.get(i).substring(2) : p.get(i));
                default -> p.set(i, p.get(i).equals("O") ? "O" : p.get(i).charAt(0) + "-" + type);
            }
        }
        return p;
    }

    @Test
    void countsEqualConllevalsOnTheConll2003SamplesAgainstCorruptedPredictions() throws Exception {
        List<Sentence> gold = new ArrayList<>();
        for (String name : new String[]{"conll2003-en.sample", "conll2003-de.sample"}) {
            Path f = dir.resolve(name);
            try (InputStream in = getClass().getResourceAsStream("/opennlp/tools/formats/" + name)) {
                Files.copy(in, f);
            }
            gold.addAll(new ConllReader(0, -1, null).read(f));
        }
        assertTrue(gold.stream().anyMatch(s -> s.tags().stream().anyMatch(t -> t.startsWith("I-"))));
        Random r = new Random(16);
        int disagreementsPossible = 0;
        for (int trial = 0; trial < 400; trial++) {
            Conlleval reference = new Conlleval();
            EntityEvaluation ours = new EntityEvaluation();
            for (Sentence s : gold) {
                List<String> g = trial % 2 == 0 ? s.tags() : TagScheme.BIO.convert(s.tags());
                List<String> p = corrupt(g, r);
                reference.sentence(g, p);
                ours.add(g, p);
            }
            Map<String, EntityEvaluation.Counts> mine = ours.perType();
            for (Map.Entry<String, int[]> e : reference.byType.entrySet()) {
                int[] c = e.getValue();
                EntityEvaluation.Counts m = mine.getOrDefault(e.getKey(), new EntityEvaluation.Counts(0, 0, 0));
                assertEquals(new EntityEvaluation.Counts(c[0], c[1], c[2]), m, "trial " + trial + ", type "
                        + e.getKey());
                disagreementsPossible += c[1] - c[0];
            }
            for (String type : mine.keySet()) {
                assertTrue(reference.byType.containsKey(type), "trial " + trial + ": type " + type);
            }
            assertEquals((double) reference.correctTags / reference.tokens, ours.tokenAccuracy(), 1e-12);
        }
        assertTrue(disagreementsPossible > 1000, "the corruptions make wrong chunks: " + disagreementsPossible);
    }
}
