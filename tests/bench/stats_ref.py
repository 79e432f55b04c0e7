#!/usr/bin/python3
"""Reference side of tests/bench/stats.sh.

    stats_ref.py gen FILE N     write the shared benchmark data
    stats_ref.py run FILE       time NumPy/SciPy/scikit-learn on it

The data file: int64 n, then float64 ref[n], cur[n], p[n], y[n], then
int32 cat_ref[n], cat_cur[n] (category codes; both sides turn code k into
the string "cat%02d" before timing).  Timings: time.process_time(), best
of 3; output lines "name seconds value".
"""
import sys
import time

import numpy as np
import scipy.stats
import sklearn.metrics
from scipy.spatial.distance import jensenshannon

DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def gen(path, n):
    rng = np.random.default_rng(2024)
    ref = rng.normal(0, 1, n)
    cur = rng.normal(0.05, 1.1, n)
    p = rng.random(n)
    y = (rng.random(n) < p).astype(float)
    cr = rng.integers(0, 20, n).astype(np.int32)
    cc = np.minimum(rng.integers(0, 21, n), 19).astype(np.int32)
    with open(path, "wb") as f:
        np.array([n], dtype=np.int64).tofile(f)
        for a in (ref, cur, p, y):
            a.astype("<f8").tofile(f)
        cr.astype("<i4").tofile(f)
        cc.astype("<i4").tofile(f)


def load(path):
    with open(path, "rb") as f:
        n = int(np.fromfile(f, dtype=np.int64, count=1)[0])
        arrs = [np.fromfile(f, dtype="<f8", count=n) for _ in range(4)]
        cr = np.fromfile(f, dtype="<i4", count=n)
        cc = np.fromfile(f, dtype="<i4", count=n)
    names = np.array(["cat%02d" % k for k in range(21)])
    return arrs + [names[cr], names[cc]]


def binned_counts(ref, cur):
    e = np.unique(np.quantile(ref, DECILES))
    rc = np.bincount(np.searchsorted(e, ref, side="right"), minlength=len(e) + 1)
    cc = np.bincount(np.searchsorted(e, cur, side="right"), minlength=len(e) + 1)
    return rc, cc


def psi(ref, cur):
    rc, cc = binned_counts(ref, cur)
    p, q = rc / rc.sum(), cc / cc.sum()
    p = np.where(p == 0, 1e-4, p)
    q = np.where(q == 0, 1e-4, q)
    return np.sum((q - p) * np.log(q / p))


def js(ref, cur):
    rc, cc = binned_counts(ref, cur)
    return jensenshannon(rc, cc, base=2)


def chi2(cref, ccur):
    cats = np.union1d(cref, ccur)
    ur, nr = np.unique(cref, return_counts=True)
    uc, nc = np.unique(ccur, return_counts=True)
    rc = np.zeros(len(cats), dtype=np.int64)
    cc = np.zeros(len(cats), dtype=np.int64)
    rc[np.searchsorted(cats, ur)] = nr
    cc[np.searchsorted(cats, uc)] = nc
    return scipy.stats.chi2_contingency([rc, cc], correction=False)[0]


def best(fn, *args):
    t = None
    for _ in range(3):
        t0 = time.process_time()
        v = fn(*args)
        dt = time.process_time() - t0
        t = dt if t is None or dt < t else t
    return t, v


def run(path):
    ref, cur, p, y, cref, ccur = load(path)
    cases = [
        ("ks", lambda: scipy.stats.ks_2samp(ref, cur).statistic),
        ("wasserstein", lambda: scipy.stats.wasserstein_distance(ref, cur)),
        ("roc_auc", lambda: sklearn.metrics.roc_auc_score(y, p)),
        ("psi", lambda: psi(ref, cur)),
        ("js", lambda: js(ref, cur)),
        ("chi2", lambda: chi2(cref, ccur)),
    ]
    for name, fn in cases:
        t, v = best(fn)
        print("%s %.6f %r" % (name, t, float(v)), flush=True)
        if name == "ks":
            # modeldeck's sorting KS path is compared to the same call.
            print("ks_sorted %.6f %r" % (t, float(v)), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "gen":
        gen(sys.argv[2], int(sys.argv[3]))
    else:
        run(sys.argv[2])
