package org.recurrent4j.compute;

/**
 * The linear-chain CRF's arithmetic on plain arrays, in double precision: the log-partition by the forward algorithm
 * in log space, the negative log-likelihood of a tag path and its exact gradients (marginals from forward-backward),
 * and Viterbi decoding with optional forbidden transitions.
 *
 * <p>Score of a path {@code y} of length {@code L} (Lafferty et al. 2001; Lample et al. 2016, eq. 1):
 * {@code s(y) = start[y_0] + sum_t e[t][y_t] + sum_{t>0} T[y_{t-1}][y_t] + end[y_{L-1}]}, with emissions
 * {@code e [L][K]} row-major in one array ({@code e[t * K + k]}) and transitions {@code T [K][K]} row-major
 * ({@code T[i * K + j]}: tag i followed by tag j). {@code nll = log sum_{y'} exp s(y') - s(y)}.
 *
 * <p>Instances hold working memory for one sequence of up to a given length; not thread-safe.
 */
public final class LinearChainCrf {

    private final int tags;
    private double[] alpha = new double[0];
    private double[] beta = new double[0];
    private final double[] work;

    /** @param tags K, the number of tags, at least 1 */
    public LinearChainCrf(int tags) {
        if (tags < 1) {
            throw new IllegalArgumentException("a CRF needs at least one tag, got " + tags);
        }
        this.tags = tags;
        this.work = new double[tags];
    }

    private void ensure(int length) {
        if (alpha.length < length * tags) {
            alpha = new double[length * tags];
            beta = new double[length * tags];
        }
    }

    /** The score of one path: {@code start[y_0] + sum e[t][y_t] + sum T[y_{t-1}][y_t] + end[y_last]}. */
    public double pathScore(double[] e, int length, int[] path, double[] transitions, double[] start, double[] end) {
        int k = tags;
        double s = start[path[0]] + end[path[length - 1]];
        for (int t = 0; t < length; t++) {
            s += e[t * k + path[t]];
            if (t > 0) {
                s += transitions[path[t - 1] * k + path[t]];
            }
        }
        return s;
    }

    /** {@code log sum_y exp s(y)} over all K^L paths, by the forward algorithm. */
    public double logPartition(double[] e, int length, double[] transitions, double[] start, double[] end) {
        ensure(length);
        forward(e, length, transitions, start);
        int last = (length - 1) * tags;
        for (int j = 0; j < tags; j++) {
            work[j] = alpha[last + j] + end[j];
        }
        return logSumExp(work, tags);
    }

    /**
     * The negative log-likelihood of {@code gold} and, where the gradient arrays are not null, adds
     * {@code scale * d nll / d param} to them: {@code dE [L*K]} (per step: marginal minus gold indicator),
     * {@code dT [K*K]} (pairwise marginals minus gold transition counts), {@code dStart}, {@code dEnd}.
     *
     * @param length L >= 1 real steps
     */
    public double nll(double[] e, int length, int[] gold, double[] transitions, double[] start, double[] end,
                      double scale, double[] dE, double[] dT, double[] dStart, double[] dEnd) {
        int k = tags;
        double logZ = logPartition(e, length, transitions, start, end);
        double nll = logZ - pathScore(e, length, gold, transitions, start, end);
        if (dE == null) {
            return nll;
        }
        int last = (length - 1) * k;
        for (int j = 0; j < k; j++) {
            beta[last + j] = end[j];
        }
        for (int t = length - 2; t >= 0; t--) {
            int next = (t + 1) * k;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    work[j] = transitions[i * k + j] + e[next + j] + beta[next + j];
                }
                beta[t * k + i] = logSumExp(work, k);
            }
        }
        for (int t = 0; t < length; t++) {
            for (int j = 0; j < k; j++) {
                double p = Math.exp(alpha[t * k + j] + beta[t * k + j] - logZ);
                dE[t * k + j] += scale * p;
                if (t == 0) {
                    dStart[j] += scale * p;
                }
                if (t == length - 1) {
                    dEnd[j] += scale * p;
                }
            }
            dE[t * k + gold[t]] -= scale;
            if (t > 0) {
                int prev = (t - 1) * k;
                for (int i = 0; i < k; i++) {
                    double a = alpha[prev + i] - logZ;
                    for (int j = 0; j < k; j++) {
                        dT[i * k + j] += scale * Math.exp(a + transitions[i * k + j] + e[t * k + j] + beta[t * k + j]);
                    }
                }
                dT[gold[t - 1] * k + gold[t]] -= scale;
            }
        }
        dStart[gold[0]] -= scale;
        dEnd[gold[length - 1]] -= scale;
        return nll;
    }

    /**
     * The highest-scoring path (Viterbi). Where {@code allowed} is not null, only transitions {@code i -> j} with
     * {@code allowed[i * K + j]}, first tags with {@code allowedStart[j]} and last tags with {@code allowedEnd[j]} are
     * considered; where no path is allowed the unconstrained best path is returned. Ties go to the lowest tag index.
     */
    public int[] viterbi(double[] e, int length, double[] transitions, double[] start, double[] end,
                         boolean[] allowed, boolean[] allowedStart, boolean[] allowedEnd) {
        int k = tags;
        ensure(length);
        double[] delta = alpha;
        int[] back = new int[length * k];
        for (int j = 0; j < k; j++) {
            delta[j] = (allowedStart == null || allowedStart[j] ? start[j] : Double.NEGATIVE_INFINITY) + e[j];
        }
        for (int t = 1; t < length; t++) {
            int prev = (t - 1) * k;
            for (int j = 0; j < k; j++) {
                double best = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int i = 0; i < k; i++) {
                    if (allowed != null && !allowed[i * k + j]) {
                        continue;
                    }
                    double v = delta[prev + i] + transitions[i * k + j];
                    if (v > best) {
                        best = v;
                        arg = i;
                    }
                }
                delta[t * k + j] = best + e[t * k + j];
                back[t * k + j] = arg;
            }
        }
        int last = (length - 1) * k;
        double best = Double.NEGATIVE_INFINITY;
        int arg = -1;
        for (int j = 0; j < k; j++) {
            double v = (allowedEnd == null || allowedEnd[j] ? end[j] : Double.NEGATIVE_INFINITY) + delta[last + j];
            if (v > best) {
                best = v;
                arg = j;
            }
        }
        if (arg < 0) {
            return allowed == null && allowedStart == null && allowedEnd == null ? new int[length]
                    : viterbi(e, length, transitions, start, end, null, null, null);
        }
        int[] path = new int[length];
        path[length - 1] = arg;
        for (int t = length - 1; t > 0; t--) {
            path[t - 1] = back[t * k + path[t]];
        }
        return path;
    }

    private void forward(double[] e, int length, double[] transitions, double[] start) {
        int k = tags;
        for (int j = 0; j < k; j++) {
            alpha[j] = start[j] + e[j];
        }
        for (int t = 1; t < length; t++) {
            int prev = (t - 1) * k;
            for (int j = 0; j < k; j++) {
                for (int i = 0; i < k; i++) {
                    work[i] = alpha[prev + i] + transitions[i * k + j];
                }
                alpha[t * k + j] = logSumExp(work, k) + e[t * k + j];
            }
        }
    }

    public static double logSumExp(double[] v, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[i]);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += Math.exp(v[i] - max);
        }
        return max + Math.log(s);
    }
}
