#!/usr/bin/python3
"""drift_ref.py: the pandas/NumPy/SciPy/scikit-learn side of tests/bench/drift.sh.

  drift_ref.py gen DIR ROWS      write DIR/ref.csv and DIR/cur.csv (10 numeric
                                 + 3 categorical features, prediction, label)
  drift_ref.py run REF CUR SEG   the same work as `modeldeck drift --json
                                 --segment SEG`, vectorised, printing the JSON
                                 report and the seconds taken on stderr

Single-threaded: the caller sets OMP/OPENBLAS/MKL threads to 1.  Files are
read with pandas.read_csv (float_precision="round_trip", correctly rounded
as modeldeck's reader, so values on a bin edge land alike).
"""
import json
import math
import sys
import time

import numpy as np
import pandas as pd
from scipy import special, stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics

PROBS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def gen(d, n):
    rng = np.random.default_rng(5)
    for name, s in (('ref', 0.0), ('cur', 0.15)):
        cols = {}
        for k in range(10):
            x = rng.normal(s * k / 5, 1 + s * (k % 3), n)
            if k % 4 == 0:
                x = np.round(x, 2)              # ties
            x[rng.random(n) < 0.01] = np.nan     # missing
            cols['n%d' % k] = x
        for k, m in enumerate((5, 20, 100)):
            v = rng.zipf(1.5 + s, n) % m
            cols['c%d' % k] = np.array(['cat%d' % i for i in range(m + 1)])[v]
        z = cols['n1'] + rng.normal(0, 1, n)
        p = 1 / (1 + np.exp(-np.nan_to_num(z)))
        cols['prediction'] = p
        cols['label'] = (rng.random(n) < p).astype(int)
        pd.DataFrame(cols).to_csv('%s/%s.csv' % (d, name), index=False,
                                  float_format='%.6g')


def psi(p, q):
    p = np.where(p == 0, 1e-4, p)
    q = np.where(q == 0, 1e-4, q)
    return float(np.sum((q - p) * np.log(q / p)))


def status(v, warn, alert):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return 'unknown'
    return 'alert' if v >= alert else 'warn' if warn is not None and v >= warn else 'ok'


def numeric(name, ra, ca):
    a, b = ra[~np.isnan(ra)], ca[~np.isnan(ca)]
    a.sort()
    b.sort()
    e = np.unique(np.quantile(a, PROBS))
    k = len(e) + 1
    p = np.bincount(np.searchsorted(e, a, side='right'), minlength=k) / len(a)
    q = np.bincount(np.searchsorted(e, b, side='right'), minlength=k) / len(b)
    d = stats.ks_2samp(a, b).statistic
    n, m = len(a), len(b)
    w = stats.wasserstein_distance(a, b)
    sd = np.std(a)
    f = {'name': name, 'type': 'numeric',
         'missing': {'reference': 1 - n / len(ra), 'current': 1 - m / len(ca)},
         'psi': psi(p, q), 'js': float(jensenshannon(p, q, base=2)),
         'ks': {'statistic': float(d),
                'pvalue': float(special.kolmogorov(np.sqrt(n * m / (n + m)) * d))},
         'wasserstein': float(w),
         'wasserstein_normed': float(w / sd) if sd else (0.0 if w == 0 else 'inf'),
         'chi2': None}
    f['status'] = status(f['psi'], 0.1, 0.25)
    return f


def categorical(name, ra, ca):
    ra, ca = ra[ra.notna()], ca[ca.notna()]
    cats = pd.Index(pd.concat([ra, ca]).unique())
    x = np.bincount(cats.get_indexer(ra), minlength=len(cats))
    y = np.bincount(cats.get_indexer(ca), minlength=len(cats))
    p, q = x / x.sum(), y / y.sum()
    chi = stats.chi2_contingency([x, y], correction=False)
    f = {'name': name, 'type': 'categorical',
         'missing': {'reference': 0.0, 'current': 0.0},
         'psi': psi(p, q), 'js': float(jensenshannon(p, q, base=2)), 'ks': None,
         'wasserstein': None, 'wasserstein_normed': None,
         'chi2': {'statistic': float(chi[0]), 'pvalue': float(chi[1])}}
    f['status'] = status(f['psi'], 0.1, 0.25)
    return f


def run(refp, curp, seg):
    t0 = time.perf_counter()
    ref = pd.read_csv(refp, float_precision='round_trip', keep_default_na=False,
                      na_values=['', 'NaN', 'nan'])
    cur = pd.read_csv(curp, float_precision='round_trip', keep_default_na=False,
                      na_values=['', 'NaN', 'nan'])
    feats = []
    for c in ref.columns:
        if c in ('id', 'label'):
            continue
        if ref[c].dtype.kind == 'f' or ref[c].dtype.kind == 'i':
            feats.append(numeric(c, ref[c].to_numpy(float), cur[c].to_numpy(float)))
        else:
            feats.append(categorical(c, ref[c], cur[c]))
    pred = [f for f in feats if f['name'] == 'prediction'][0]
    feats = [f for f in feats if f['name'] != 'prediction']
    st = 'warn' if any(f['status'] in ('warn', 'alert') for f in feats + [pred]) else 'ok'
    if sum(f['status'] == 'alert' for f in feats) >= 0.5 * len(feats) or pred['psi'] >= 0.25:
        st = 'alert'
    p = cur['prediction'].to_numpy(float)
    y = cur['label'].to_numpy(int)
    yh = (p >= 0.5).astype(int)
    perf = {'accuracy': metrics.accuracy_score(y, yh),
            'precision': metrics.precision_score(y, yh, zero_division=0),
            'recall': metrics.recall_score(y, yh, zero_division=0),
            'f1': metrics.f1_score(y, yh, zero_division=0),
            'roc_auc': metrics.roc_auc_score(y, p),
            'log_loss': metrics.log_loss(y, p, labels=[0, 1]),
            'brier': metrics.brier_score_loss(y, p),
            'estimated_accuracy': float(np.mean(np.where(p >= 0.5, p, 1 - p))),
            'mae': None, 'rmse': None, 'mape': None}
    df = pd.DataFrame({'s': cur[seg], 'sel': yh, 'y': y})
    g = df.groupby('s', sort=True)
    rows = g.size()
    rate = g['sel'].mean()
    pos = df[df.y == 1].groupby('s')
    npos = pos.size().reindex(rows.index, fill_value=0)
    tpr = pos['sel'].mean().reindex(rows.index)
    segs = [{'name': n, 'rows': int(rows[n]), 'selection_rate': float(rate[n]),
             'tpr': None if math.isnan(tpr[n]) else float(tpr[n])} for n in rows.index]
    qr, qt = rate[rows >= 30], tpr[npos >= 30]
    fair = {'segments': segs,
            'demographic_parity_difference': float(qr.max() - qr.min()),
            'disparate_impact': float(qr.min() / qr.max()) if qr.max() > 0 else None,
            'equal_opportunity_difference': float(qt.max() - qt.min())}
    out = {'status': st, 'rows': {'reference': len(ref), 'current': len(cur)},
           'features': feats, 'prediction': pred,
           'performance': {k: (None if v is None else float(v)) for k, v in perf.items()},
           'fairness': fair}
    t = time.perf_counter() - t0
    json.dump(out, sys.stdout)
    print()
    print('%.3f' % t, file=sys.stderr)


if __name__ == '__main__':
    if sys.argv[1] == 'gen':
        gen(sys.argv[2], int(sys.argv[3]))
    else:
        run(sys.argv[2], sys.argv[3], sys.argv[4])
