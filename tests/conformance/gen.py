#!/usr/bin/python3
"""Conformance data for src/stats: datasets and the values NumPy 1.24 /
SciPy 1.10 / scikit-learn 1.2 give for them, through the exact reference
calls of stats-spec.md.  Run with Debian's /usr/bin/python3:

    /usr/bin/python3 tests/conformance/gen.py [OUTDIR]   (default: data/)

Deterministic (fixed seeds).  tests/unit/test_stats_conformance.c reads
the files; tests/integration/stats_conformance_regen.sh regenerates them
into a temporary directory and compares with the committed ones.

File format (text, one case per *.case file, values printed with repr so
they read back bit-exactly with strtod):
    case NAME
    kind numeric|categorical|classification|regression|fairness|large
    scalar NAME VALUE
    array NAME COUNT        then COUNT lines, one number each ("nan" = missing)
    strings NAME COUNT      then COUNT lines, one string each ("\\N" = missing)
    expect NAME VALUE       VALUE a number, "null" (cannot be computed) or "inf"
The "large" cases hold no data: their rows come from the xorshift64*
generator below, reimplemented bit-exactly in the C test (only +, *, /,
floor and comparisons, which IEEE 754 makes reproducible), so 200,000-row
samples need no megabytes in git.

Special functions: kolmogorov.txt ("x expected") and gammaincc.txt
("a x expected") compare kolmogorov_sf and gammainc_q over wide grids.
"""
import math
import os
import sys
import warnings

import numpy as np
import scipy
import scipy.special
import scipy.stats
import sklearn
import sklearn.metrics as skm
from scipy.spatial.distance import jensenshannon

warnings.simplefilter("ignore")
DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
MASK64 = (1 << 64) - 1


def fmt(v):
    if v is None:
        return "null"
    v = float(v)
    if math.isnan(v):
        return "null"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return repr(v)


class Case:
    def __init__(self, name, kind):
        self.name, self.kind, self.lines = name, kind, []

    def scalar(self, name, v):
        self.lines.append("scalar %s %s" % (name, repr(float(v))))

    def array(self, name, a):
        a = np.asarray(a, dtype=float)
        self.lines.append("array %s %d" % (name, len(a)))
        self.lines.extend("nan" if math.isnan(x) else repr(float(x)) for x in a)

    def strings(self, name, a):
        self.lines.append("strings %s %d" % (name, len(a)))
        self.lines.extend("\\N" if x is None else x for x in a)

    def expect(self, name, v):
        self.lines.append("expect %s %s" % (name, fmt(v)))

    def write(self, outdir):
        with open(os.path.join(outdir, self.name + ".case"), "w") as f:
            f.write("case %s\nkind %s\n" % (self.name, self.kind))
            f.write("\n".join(self.lines) + "\n")


# ---- reference computations (the spec's calls) ----------------------------

def binned(rc, cc):
    """PSI and JS distance from two count vectors."""
    if rc.sum() == 0 or cc.sum() == 0:
        return None, None
    p = rc / rc.sum()
    q = cc / cc.sum()
    pp = np.where(p == 0, 1e-4, p)
    qq = np.where(q == 0, 1e-4, q)
    psi = np.sum((qq - pp) * np.log(qq / pp))
    js = jensenshannon(rc.astype(float), cc.astype(float), base=2)
    return psi, js


def ref_std(r):
    # NumPy's np.std of a constant column is rounding noise (1e-17 .. 1e-16,
    # not 0); the spec's "std is 0" means a constant reference.
    return 0.0 if np.all(r == r[0]) else np.std(r)


def numeric_expect(c, ref, cur):
    r = ref[~np.isnan(ref)]
    u = cur[~np.isnan(cur)]
    c.expect("rows_ref", len(ref))
    c.expect("rows_cur", len(cur))
    c.expect("missing_rate_ref", np.isnan(ref).mean() if len(ref) else None)
    c.expect("missing_rate_cur", np.isnan(cur).mean() if len(cur) else None)
    if len(r) == 0:
        c.expect("nedges", 0)
        rc = np.array([len(r)])
        cc = np.array([len(u)])
    else:
        e = np.unique(np.quantile(r, DECILES))
        c.expect("nedges", len(e))
        for i, x in enumerate(e):
            c.expect("edge%d" % i, x)
        rc = np.bincount(np.searchsorted(e, r, side="right"), minlength=len(e) + 1)
        cc = np.bincount(np.searchsorted(e, u, side="right"), minlength=len(e) + 1)
    psi, js = binned(rc, cc)
    c.expect("psi", psi)
    c.expect("js", js)
    if len(r) and len(u):
        n, m = len(r), len(u)
        d = scipy.stats.ks_2samp(r, u).statistic
        w = scipy.stats.wasserstein_distance(r, u)
        s = ref_std(r)
        wn = (0.0 if w == 0 else math.inf) if s == 0 else w / s
        c.expect("ks_statistic", d)
        c.expect("ks_pvalue", scipy.special.kolmogorov(np.sqrt(n * m / (n + m)) * d))
        c.expect("wasserstein", w)
        c.expect("wasserstein_normed", wn)
    else:
        for k in ("ks_statistic", "ks_pvalue", "wasserstein", "wasserstein_normed"):
            c.expect(k, None)


def numeric_case(outdir, name, ref, cur):
    c = Case(name, "numeric")
    ref = np.asarray(ref, dtype=float)
    cur = np.asarray(cur, dtype=float)
    c.array("ref", ref)
    c.array("cur", cur)
    numeric_expect(c, ref, cur)
    c.write(outdir)


def categorical_case(outdir, name, ref, cur):
    c = Case(name, "categorical")
    c.strings("ref", ref)
    c.strings("cur", cur)
    r = [x for x in ref if x is not None]
    u = [x for x in cur if x is not None]
    cats = sorted(set(r) | set(u))
    rc = np.array([r.count(k) for k in cats])
    cc = np.array([u.count(k) for k in cats])
    c.expect("rows_ref", len(ref))
    c.expect("rows_cur", len(cur))
    c.expect("missing_rate_ref", (len(ref) - len(r)) / len(ref) if ref else None)
    c.expect("missing_rate_cur", (len(cur) - len(u)) / len(cur) if cur else None)
    c.expect("categories", len(cats))
    psi, js = binned(rc, cc) if cats else (None, None)
    c.expect("psi", psi)
    c.expect("js", js)
    if len(r) == 0 or len(u) == 0:
        c.expect("chi2_statistic", None)
        c.expect("chi2_pvalue", None)
    else:
        st, pv, _, _ = scipy.stats.chi2_contingency([rc, cc], correction=False)
        c.expect("chi2_statistic", st)
        c.expect("chi2_pvalue", pv)
    c.write(outdir)


def classification_expect(c, p, y, t):
    ok = ~np.isnan(p)
    lab = ok & ~np.isnan(y)
    pl, yl = p[lab], y[lab].astype(int)
    yh = (pl >= t).astype(int)
    c.expect("labelled", len(yl))
    c.expect("positives", int(yl.sum()))
    est = np.mean(np.where(p[ok] >= t, p[ok], 1 - p[ok])) if ok.any() else None
    c.expect("estimated_accuracy", est)
    if len(yl) == 0:
        for k in ("accuracy", "precision", "recall", "f1", "roc_auc",
                  "log_loss", "brier"):
            c.expect(k, None)
        return
    c.expect("accuracy", skm.accuracy_score(yl, yh))
    c.expect("precision", skm.precision_score(yl, yh, zero_division=0))
    c.expect("recall", skm.recall_score(yl, yh, zero_division=0))
    c.expect("f1", skm.f1_score(yl, yh, zero_division=0))
    c.expect("roc_auc", skm.roc_auc_score(yl, pl) if len(np.unique(yl)) == 2 else None)
    c.expect("log_loss", skm.log_loss(yl, pl, labels=[0, 1]))
    inrange = pl.min() >= 0 and pl.max() <= 1
    c.expect("brier", skm.brier_score_loss(yl, pl) if inrange else None)


def classification_case(outdir, name, p, y, t=0.5):
    c = Case(name, "classification")
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    c.scalar("threshold", t)
    c.array("p", p)
    c.array("y", y)
    classification_expect(c, p, y, t)
    c.write(outdir)


def regression_case(outdir, name, p, y):
    c = Case(name, "regression")
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    c.array("p", p)
    c.array("y", y)
    ok = ~np.isnan(p) & ~np.isnan(y)
    c.expect("rows", int(ok.sum()))
    c.expect("mae", skm.mean_absolute_error(y[ok], p[ok]))
    c.expect("rmse", np.sqrt(skm.mean_squared_error(y[ok], p[ok])))
    c.expect("mape", skm.mean_absolute_percentage_error(y[ok], p[ok]))
    c.write(outdir)


def fairness_case(outdir, name, seg, p, y, t=0.5, min_rows=30, min_pos=30):
    c = Case(name, "fairness")
    seg = np.asarray(seg, dtype=float)
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    c.scalar("threshold", t)
    c.array("seg", seg)
    c.array("p", p)
    c.array("y", y)
    nseg = int(np.nanmax(seg)) + 1
    c.scalar("nsegments", nseg)
    sr, tpr = {}, {}
    for s in range(nseg):
        rows = (seg == s) & ~np.isnan(p)
        pos = rows & (y == 1)
        c.expect("rows%d" % s, int(rows.sum()))
        c.expect("selection_rate%d" % s, np.mean(p[rows] >= t) if rows.any() else None)
        c.expect("tpr%d" % s, np.mean(p[pos] >= t) if pos.any() else None)
        if rows.sum() >= min_rows:
            sr[s] = np.mean(p[rows] >= t)
        if pos.sum() >= min_pos:
            tpr[s] = np.mean(p[pos] >= t)
    v = list(sr.values())
    c.expect("demographic_parity_difference", max(v) - min(v) if v else None)
    c.expect("disparate_impact", min(v) / max(v) if v and max(v) > 0 else None)
    w = list(tpr.values())
    c.expect("equal_opportunity_difference", max(w) - min(w) if w else None)
    c.write(outdir)


# ---- the large cases' generator (mirrored in the C test) ------------------

class XorShift:
    """xorshift64* (Vigna 2016); uniform() = top 53 bits / 2^53."""

    def __init__(self, seed):
        self.s = seed & MASK64

    def next(self):
        s = self.s
        s ^= s >> 12
        s ^= (s << 25) & MASK64
        s ^= s >> 27
        self.s = s
        return (s * 0x2545F4914F6CDD1D) & MASK64

    def uniform(self):
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)


def large_columns(seed, n):
    """ref-like column: sum of two uniforms; half the rows rounded to 1/64."""
    g = XorShift(seed)
    out = np.empty(n)
    for i in range(n):
        a, b = g.uniform(), g.uniform()
        v = a + b * 1.5
        if b < 0.5:
            v = math.floor(v * 64.0) / 64.0
        out[i] = v
    return out


def large_scores(seed, n):
    g = XorShift(seed)
    p = np.empty(n)
    y = np.empty(n)
    for i in range(n):
        a, b = g.uniform(), g.uniform()
        p[i] = math.floor(a * 1000.0) / 1000.0
        y[i] = 1.0 if b < p[i] * 0.8 + 0.1 else 0.0
    return p, y


def large_cases(outdir):
    n = 200000
    ref = large_columns(12345, n)
    cur = large_columns(67890, n) * 1.05 + 0.01
    c = Case("large_numeric", "large")
    c.scalar("seed_ref", 12345)
    c.scalar("seed_cur", 67890)
    c.scalar("n", n)
    c.expect("check_ref_sum", np.sum(ref))
    numeric_expect(c, ref, cur)
    c.write(outdir)
    p, y = large_scores(4242, n)
    c = Case("large_classification", "large")
    c.scalar("seed", 4242)
    c.scalar("n", n)
    c.scalar("threshold", 0.5)
    classification_expect(c, p, y, 0.5)
    c.write(outdir)


# ---- cases ---------------------------------------------------------------

def numeric_cases(outdir):
    rng = np.random.default_rng(20240501)
    nan = float("nan")
    numeric_case(outdir, "num_normal_shift", rng.normal(0, 1, 1000), rng.normal(0.3, 1.2, 800))
    numeric_case(outdir, "num_same_distribution", rng.normal(5, 2, 600), rng.normal(5, 2, 600))
    numeric_case(outdir, "num_ties_integers", rng.integers(0, 6, 500), rng.integers(1, 7, 400))
    numeric_case(outdir, "num_ties_signed_zero", [0.0, -0.0, 1.0, -1.0, 0.0, 2.0, -0.0, 1.0] * 20,
                 [-0.0, 0.0, 0.0, 1.0, 3.0] * 15)
    numeric_case(outdir, "num_constant_ref", np.full(200, 3.0), rng.normal(3, 1, 150))
    numeric_case(outdir, "num_constant_both", np.full(150, 0.1), np.full(120, 0.1))
    numeric_case(outdir, "num_mostly_one_value", np.r_[np.full(900, 7.0), rng.normal(7, 1, 100)],
                 np.r_[np.full(500, 7.0), rng.normal(8, 1, 500)])
    numeric_case(outdir, "num_tiny_1", [1.5], [2.5])
    numeric_case(outdir, "num_tiny_1_equal", [1.5], [1.5])
    numeric_case(outdir, "num_tiny_2", [1.0, 2.0], [1.5, 3.0])
    numeric_case(outdir, "num_tiny_5", [3.0, 1.0, 4.0, 1.0, 5.0], [9.0, 2.0, 6.0])
    ref = rng.normal(0, 1, 700)
    ref[rng.random(700) < 0.2] = nan
    cur = rng.normal(0.1, 1, 500)
    cur[rng.random(500) < 0.35] = nan
    numeric_case(outdir, "num_missing", ref, cur)
    numeric_case(outdir, "num_all_missing_cur", rng.normal(0, 1, 120), [nan] * 50)
    numeric_case(outdir, "num_empty_cur", rng.normal(0, 1, 50), [])
    numeric_case(outdir, "num_cauchy", rng.standard_cauchy(2000), rng.standard_cauchy(1500) * 1.3)
    numeric_case(outdir, "num_lognormal", rng.lognormal(0, 2, 1500), rng.lognormal(0.2, 2.2, 1500))
    numeric_case(outdir, "num_beyond_range", rng.uniform(0, 1, 400),
                 np.r_[rng.uniform(-2, -1, 100), rng.uniform(2, 5, 100), rng.uniform(0, 1, 50)])
    numeric_case(outdir, "num_edges_on_data", np.arange(101) * 0.1, np.arange(57) * 0.17)
    numeric_case(outdir, "num_edges_lerp", np.arange(23) * 0.3 - 1.1, np.arange(31) * 0.07)
    numeric_case(outdir, "num_large_magnitude", rng.normal(1e9, 3, 800), rng.normal(1e9 + 1, 3, 800))
    numeric_case(outdir, "num_tiny_magnitude", rng.normal(0, 1e-12, 300), rng.normal(1e-13, 1e-12, 300))
    numeric_case(outdir, "num_disjoint", rng.uniform(0, 1, 300), rng.uniform(10, 11, 300))


def categorical_cases(outdir):
    rng = np.random.default_rng(7)

    def draw(cats, probs, n):
        return [cats[i] for i in rng.choice(len(cats), size=n, p=probs)]
    abc = ["a", "b", "c"]
    categorical_case(outdir, "cat_basic", draw(abc, [0.5, 0.3, 0.2], 1000),
                     draw(abc, [0.4, 0.35, 0.25], 800))
    categorical_case(outdir, "cat_unseen", draw(abc, [0.5, 0.3, 0.2], 600),
                     draw(["a", "b", "d", "e"], [0.4, 0.3, 0.2, 0.1], 500))
    categorical_case(outdir, "cat_single_category", ["x"] * 120, ["x"] * 90)
    ref = draw(abc, [0.2, 0.3, 0.5], 400)
    cur = draw(abc, [0.2, 0.3, 0.5], 300)
    for i in range(0, 400, 7):
        ref[i] = None
    for i in range(0, 300, 4):
        cur[i] = None
    categorical_case(outdir, "cat_missing", ref, cur)
    categorical_case(outdir, "cat_all_missing_cur", draw(abc, [0.5, 0.3, 0.2], 100), [None] * 40)
    many = ["cat%02d" % i for i in range(50)]
    pr = rng.dirichlet(np.ones(50))
    pc = rng.dirichlet(np.ones(50))
    categorical_case(outdir, "cat_many", draw(many, pr, 5000), draw(many, pc, 4000))
    categorical_case(outdir, "cat_numeric_strings", draw(["1", "1.0", "01"], [0.3, 0.3, 0.4], 300),
                     draw(["1", "1.0", "01"], [0.5, 0.2, 0.3], 300))
    categorical_case(outdir, "cat_tiny", ["a"], ["b"])


def classification_cases(outdir):
    rng = np.random.default_rng(99)
    nan = float("nan")
    p = rng.random(1000)
    y = (rng.random(1000) < p).astype(float)
    classification_case(outdir, "cls_basic", p, y)
    classification_case(outdir, "cls_threshold_0_3", p, y, 0.3)
    pt = np.round(rng.random(800), 1)
    classification_case(outdir, "cls_tied_scores", pt, (rng.random(800) < pt).astype(float))
    classification_case(outdir, "cls_one_class", rng.random(200), np.ones(200))
    classification_case(outdir, "cls_all_equal_scores", np.full(300, 0.5),
                        (rng.random(300) < 0.4).astype(float))
    y2 = (rng.random(500) < 0.5).astype(float)
    y2[rng.random(500) < 0.3] = nan
    p2 = rng.random(500)
    p2[::50] = nan
    classification_case(outdir, "cls_unlabelled_rows", p2, y2)
    pe = rng.choice([0.0, 1.0, 0.5, 1e-20, 1 - 1e-17], size=400)
    classification_case(outdir, "cls_extreme_probabilities", pe,
                        (rng.random(400) < 0.5).astype(float))
    classification_case(outdir, "cls_no_positive_predictions", rng.random(200) * 0.4,
                        (rng.random(200) < 0.3).astype(float))
    classification_case(outdir, "cls_scores_outside_0_1", rng.normal(0, 2, 300),
                        (rng.random(300) < 0.5).astype(float), 0.0)
    classification_case(outdir, "cls_no_labels", rng.random(50), np.full(50, nan))
    classification_case(outdir, "cls_tiny", [0.2, 0.8], [0.0, 1.0])


def regression_cases(outdir):
    rng = np.random.default_rng(5)
    y = rng.normal(10, 3, 700)
    regression_case(outdir, "reg_basic", y + rng.normal(0, 1, 700), y)
    yz = rng.normal(0, 1, 300)
    yz[::10] = 0.0
    regression_case(outdir, "reg_zero_targets", yz + rng.normal(0, 0.1, 300), yz)
    pm = y + rng.normal(0, 1, 700)
    pm[::9] = float("nan")
    ym = y.copy()
    ym[::13] = float("nan")
    regression_case(outdir, "reg_missing", pm, ym)


def fairness_cases(outdir):
    rng = np.random.default_rng(11)
    n = 900
    seg = rng.choice([0, 1, 2, 3], size=n, p=[0.5, 0.3, 0.17, 0.03]).astype(float)
    p = rng.random(n) * (0.7 + 0.2 * seg)
    y = (rng.random(n) < 0.5).astype(float)
    y[rng.random(n) < 0.1] = float("nan")
    seg[::97] = -1
    fairness_case(outdir, "fair_basic", seg, p, y)
    seg2 = rng.choice([0, 1], size=200).astype(float)
    fairness_case(outdir, "fair_nobody_selected", seg2, rng.random(200) * 0.3,
                  (rng.random(200) < 0.5).astype(float))
    fairness_case(outdir, "fair_one_segment", np.zeros(100), rng.random(100),
                  (rng.random(100) < 0.6).astype(float))


def special_grids(outdir):
    xs = sorted(set([0.0, 1e-300, 1e-10, 0.01, 0.0406, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.8,
                     0.819, 0.82, 0.821, 0.9, 1.0, 1.2, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0,
                     10.0, 15.0, 20.0, 26.0, 27.0, 30.0, 100.0]
                    + list(np.linspace(0.02, 4, 200))))
    with open(os.path.join(outdir, "kolmogorov.txt"), "w") as f:
        for x in xs:
            f.write("%s %s\n" % (repr(float(x)), fmt(scipy.special.kolmogorov(x))))
    a_s = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.5, 5.0, 7.5, 10.0, 12.5, 20.0, 24.5, 50.0,
           99.5, 150.0, 200.0, 499.5, 1000.0, 4999.5, 1e4, 1e5, 1e6, 0.1, 0.01]
    with open(os.path.join(outdir, "gammaincc.txt"), "w") as f:
        for a in a_s:
            xs = [1e-8, 1e-3, 0.1, 0.5, 0.6, 1.0, 1.1, 2.0, 5.0, 10.0, 30.0, 100.0, 700.0]
            xs += [a * r for r in (0.25, 0.5, 0.8, 0.9, 0.97, 0.99, 1.0, 1.01, 1.03,
                                   1.1, 1.2, 1.5, 2.0, 3.0)]
            xs += [a + k * math.sqrt(a) for k in (-10, -5, -3, -1, 1, 3, 5, 10, 20, 30)]
            for x in sorted(set(x for x in xs if x >= 0)):
                q = scipy.special.gammaincc(a, x)
                f.write("%s %s %s\n" % (repr(float(a)), repr(float(x)), fmt(q)))


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "VERSIONS"), "w") as f:
        f.write("numpy %s\nscipy %s\nsklearn %s\n" %
                (np.__version__, scipy.__version__, sklearn.__version__))
    numeric_cases(outdir)
    categorical_cases(outdir)
    classification_cases(outdir)
    regression_cases(outdir)
    fairness_cases(outdir)
    large_cases(outdir)
    special_grids(outdir)


if __name__ == "__main__":
    main()
