#!/usr/bin/python3
"""Independent reference for `modeldeck drift --json` (tests/integration/drift_*.sh).

Reads REF and CUR itself (Python's csv module or json, not modeldeck's
readers), applies the rules of src/data/drift.h and dataset.h, and computes
every number with NumPy / SciPy / scikit-learn exactly as
/work/shared/stats-spec.md names them.  Prints the JSON report.

usage: reference.py REF CUR [--method M] [--prediction C] [--label C]
                    [--threshold T] [--segment C] [--stats LIST]
"""
import argparse
import csv
import json
import math
import re
import sys

import numpy as np
from scipy import special, stats
from scipy.spatial.distance import jensenshannon
from sklearn import metrics

NUM = re.compile(r'^[ \t]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ \t]*$')
NAN = re.compile(r'^[ \t]*[+-]?nan[ \t]*$', re.I)
INF = re.compile(r'^[ \t]*[+-]?(inf|infinity)[ \t]*$', re.I)
PROBS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
T = dict(psi_warn=0.1, psi_alert=0.25, pvalue_alert=0.05, distance_alert=0.1,
         model_alert_share=0.5, prediction_psi_alert=0.25, min_rows=100,
         fairness_min_rows=30, fairness_min_positives=30)


def cell(s):
    """('num', x) | ('missing',) | ('inf',) | ('text', s)"""
    if s.strip(' \t') == '' or NAN.match(s):
        return ('missing',)
    if INF.match(s):
        return ('inf',)
    if NUM.match(s):
        x = float(s)
        return ('inf',) if math.isinf(x) else ('num', x)
    return ('text', s)


def number_name(x):
    for p in (15, 16, 17):
        s = '%.*g' % (p, x)
        if float(s) == x:
            return s


def read(path):
    """{name: list of raw values}, meta; raw: str (CSV) or JSON values."""
    with open(path, encoding='utf-8-sig') as f:
        text = f.read()
    if text.lstrip()[:1] in ('{', '['):
        body = json.loads(text)
        rows = body if isinstance(body, list) else body['rows']
        meta = {} if isinstance(body, list) else body
        names = [s['name'] for s in meta.get('schema', [])]
        for r in rows:
            for k in r.get('features', {}):
                if k not in names:
                    names.append(k)
        for k in ('prediction', 'label'):
            if any(k in r for r in rows) and k not in names:
                names.append(k)
        cols = {}
        for n in names:
            top = n in ('prediction', 'label')
            cols[n] = [(r.get(n) if top else r.get('features', {}).get(n))
                       for r in rows]
        types = {s['name']: s['type'] for s in meta.get('schema', [])}
        return cols, meta, types, len(rows)
    rows = [r for r in csv.reader(text.splitlines(keepends=True)) if r]
    header, data = rows[0], rows[1:]
    cols = {h: [r[i] for r in data] for i, h in enumerate(header) if h != 'id'}
    return cols, {}, {}, len(data)


def json_cell(v):
    if v is None:
        return ('missing',)
    if isinstance(v, bool):
        return ('num', 1.0 if v else 0.0)
    if isinstance(v, (int, float)):
        return ('num', float(v))
    return ('text', v)


def typed(raw, kind, is_json):
    conv = json_cell if is_json else cell
    out = []
    for v in raw:
        c = conv(v)
        if kind == 'numeric':
            out.append(c[1] if c[0] == 'num' else math.nan)
        elif c[0] == 'missing':
            out.append(None)
        elif c[0] == 'num' and is_json:
            out.append(number_name(c[1]))
        else:
            out.append(v if not is_json else str(v) if not isinstance(v, bool)
                       else ('true' if v else 'false'))
    return out


def infer(raw, is_json):
    conv = json_cell if is_json else cell
    return 'categorical' if any(conv(v)[0] == 'text' for v in raw) else 'numeric'


def nn(x):
    if x is None:
        return None
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        return 'inf'
    return x


def psi(p, q):
    p = np.where(p == 0, 1e-4, p)
    q = np.where(q == 0, 1e-4, q)
    return float(np.sum((q - p) * np.log(q / p)))


def numeric_stats(a, b, which):
    a = np.array([x for x in a if not math.isnan(x)])
    b = np.array([x for x in b if not math.isnan(x)])
    out = {}
    if len(a) and len(b):
        e = np.unique(np.quantile(a, PROBS))
        k = len(e) + 1
        ca = np.bincount(np.searchsorted(e, a, side='right'), minlength=k)
        cb = np.bincount(np.searchsorted(e, b, side='right'), minlength=k)
        p, q = ca / ca.sum(), cb / cb.sum()
        if 'psi' in which:
            out['psi'] = psi(p, q)
        if 'js' in which:
            out['js'] = float(jensenshannon(p, q, base=2))
        if 'ks' in which:
            d = stats.ks_2samp(a, b).statistic
            n, m = len(a), len(b)
            out['ks'] = {'statistic': float(d),
                         'pvalue': float(special.kolmogorov(np.sqrt(n * m / (n + m)) * d))}
        if 'wasserstein' in which:
            w = stats.wasserstein_distance(a, b)
            # A constant reference has std 0 (the spec's +inf case), though
            # np.std of e.g. fifty 0.4s is 5.6e-17 from rounding in the mean.
            sd = 0.0 if np.all(a == a[0]) else np.std(a)
            out['wasserstein'] = float(w)
            out['wasserstein_normed'] = (0.0 if w == 0 and sd == 0 else
                                         math.inf if sd == 0 else w / sd)
    return out


def categorical_stats(a, b, which):
    a = [x for x in a if x is not None]
    b = [x for x in b if x is not None]
    out = {}
    if not a or not b:
        return out
    cats = sorted(set(a) | set(b))
    ca = np.array([a.count(c) for c in cats], dtype=float)
    cb = np.array([b.count(c) for c in cats], dtype=float)
    p, q = ca / ca.sum(), cb / cb.sum()
    if 'psi' in which:
        out['psi'] = psi(p, q)
    if 'js' in which:
        out['js'] = float(jensenshannon(p, q, base=2))
    if 'chi2' in which:
        if len(cats) < 2:
            out['chi2'] = {'statistic': 0.0, 'pvalue': 1.0}
        else:
            r = stats.chi2_contingency([ca, cb], correction=False)
            out['chi2'] = {'statistic': float(r[0]), 'pvalue': float(r[1])}
    return out


def status(f, kind, method, nref, ncur):
    if nref < T['min_rows'] or ncur < T['min_rows']:
        return 'too_few_rows'
    if method == 'psi':
        v = f.get('psi')
        if v is None:
            return 'unknown'
        return 'alert' if v >= T['psi_alert'] else 'warn' if v >= T['psi_warn'] else 'ok'
    if method == 'ks':
        v = (f.get('ks') if kind == 'numeric' else f.get('chi2'))
        if v is None:
            return 'unknown'
        return 'alert' if v['pvalue'] < T['pvalue_alert'] else 'ok'
    v = f.get('js') if method == 'js' or kind == 'categorical' else f.get('wasserstein_normed')
    if v is None:
        return 'unknown'
    return 'alert' if v >= T['distance_alert'] else 'ok'


def feature(name, kind, a, b, which, method):
    f = {'name': name, 'type': kind}
    ma = sum(1 for x in a if x is None or (isinstance(x, float) and math.isnan(x)))
    mb = sum(1 for x in b if x is None or (isinstance(x, float) and math.isnan(x)))
    f['missing'] = {'reference': ma / len(a) if a else None,
                    'current': mb / len(b) if b else None}
    s = numeric_stats(a, b, which) if kind == 'numeric' else categorical_stats(a, b, which)
    for k in ('psi', 'js', 'ks', 'wasserstein', 'wasserstein_normed', 'chi2'):
        f[k] = s.get(k)
    f['status'] = status(f, kind, method, len(a), len(b))
    return f


def performance(p, y, thr, regression, labelled_only=True):
    keys = ['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss',
            'brier', 'estimated_accuracy', 'mae', 'rmse', 'mape']
    out = dict.fromkeys(keys)
    p, y = np.array(p, dtype=float), np.array(y, dtype=float)
    has_p = ~np.isnan(p)
    lab = has_p & ~np.isnan(y)
    if regression:
        if lab.any():
            out['mae'] = metrics.mean_absolute_error(y[lab], p[lab])
            out['rmse'] = math.sqrt(metrics.mean_squared_error(y[lab], p[lab]))
            out['mape'] = metrics.mean_absolute_percentage_error(y[lab], p[lab])
        return out
    if has_p.any():
        ps = p[has_p]
        out['estimated_accuracy'] = float(np.mean(np.where(ps >= thr, ps, 1 - ps)))
    if lab.any():
        yl, pl = y[lab].astype(int), p[lab]
        yh = (pl >= thr).astype(int)
        out['accuracy'] = metrics.accuracy_score(yl, yh)
        out['precision'] = metrics.precision_score(yl, yh, zero_division=0)
        out['recall'] = metrics.recall_score(yl, yh, zero_division=0)
        out['f1'] = metrics.f1_score(yl, yh, zero_division=0)
        out['roc_auc'] = (metrics.roc_auc_score(yl, pl)
                          if len(set(yl)) == 2 else None)
        out['log_loss'] = metrics.log_loss(yl, pl, labels=[0, 1])
        out['brier'] = (metrics.brier_score_loss(yl, pl)
                        if pl.min() >= 0 and pl.max() <= 1 else None)
    return {k: nn(v) for k, v in out.items()}


def fairness(segs, p, y, thr):
    names = sorted({s for s in segs if s is not None})
    out = []
    rates, tprs = [], []
    for n in names:
        idx = [i for i, s in enumerate(segs) if s == n and not math.isnan(p[i])]
        if not idx:
            continue
        sel = [p[i] >= thr for i in idx]
        pos = [i for i in idx if y[i] == 1]
        tpr = (sum(1 for i in pos if p[i] >= thr) / len(pos)) if pos else None
        rate = sum(sel) / len(idx)
        out.append({'name': n, 'rows': len(idx), 'selection_rate': rate, 'tpr': tpr})
        if len(idx) >= T['fairness_min_rows']:
            rates.append(rate)
        if len(pos) >= T['fairness_min_positives']:
            tprs.append(tpr)
    return {'segments': out,
            'demographic_parity_difference': (max(rates) - min(rates)) if rates else None,
            'disparate_impact': (min(rates) / max(rates)) if rates and max(rates) > 0 else None,
            'equal_opportunity_difference': (max(tprs) - min(tprs)) if tprs else None}


def clean(v):
    if isinstance(v, dict):
        return {k: clean(x) for k, x in v.items()}
    if isinstance(v, list):
        return [clean(x) for x in v]
    if isinstance(v, (float, np.floating)):
        return nn(v)
    if isinstance(v, np.integer):
        return int(v)
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('ref')
    ap.add_argument('cur')
    ap.add_argument('--method', default='psi')
    ap.add_argument('--prediction')
    ap.add_argument('--label')
    ap.add_argument('--threshold', type=float)
    ap.add_argument('--segment')
    ap.add_argument('--stats', default='all')
    o = ap.parse_args()
    which = set(o.stats.split(','))
    if 'all' in which:
        which = {'psi', 'js', 'ks', 'wasserstein', 'chi2', 'performance', 'fairness'}
    which |= {'psi': {'psi'}, 'js': {'psi', 'js'}, 'ks': {'psi', 'ks', 'chi2'},
              'wasserstein': {'psi', 'wasserstein', 'js'}}[o.method]
    rcols, meta, types, nref = read(o.ref)
    ccols, _, _, ncur = read(o.cur)
    rj = open(o.ref).read().lstrip()[:1] in '{['
    cj = open(o.cur).read().lstrip()[:1] in '{['
    pred = o.prediction or 'prediction'
    label = o.label or 'label'
    seg = o.segment or meta.get('segment_by')
    thr = o.threshold if o.threshold is not None else meta.get('threshold', 0.5)
    kinds = {n: types.get(n) or infer(v, rj) for n, v in rcols.items()}
    if label in ccols and label not in rcols:
        kinds[label] = 'numeric'
        rcols[label] = [None] * nref
    ref = {n: typed(v, kinds[n], rj) for n, v in rcols.items()}
    cur = {n: typed(ccols.get(n, [None] * ncur), kinds[n], cj) for n in rcols}
    feats = [n for n in rcols if n not in (pred, label)]
    out = {'rows': {'reference': nref, 'current': ncur}}
    out['features'] = [feature(n, kinds[n], ref[n], cur[n], which, o.method) for n in feats]
    out['prediction'] = (feature(pred, kinds[pred], ref[pred], cur[pred], which, o.method)
                         if pred in rcols else None)
    st = 'ok'
    fs = [f['status'] for f in out['features']]
    if out['prediction']:
        fs.append(out['prediction']['status'])
    if any(s in ('warn', 'alert') for s in fs):
        st = 'warn'
    nal = sum(1 for f in out['features'] if f['status'] == 'alert')
    if feats and nal >= T['model_alert_share'] * len(feats):
        st = 'alert'
    pp = out['prediction'] and out['prediction'].get('psi')
    if pp is not None and pp >= T['prediction_psi_alert']:
        st = 'alert'
    if nref < T['min_rows'] or ncur < T['min_rows']:
        st = 'too_few_rows'
    out['status'] = st
    streamed = not (which - {'psi', 'js', 'chi2', 'missing'})
    perf = dict.fromkeys(['accuracy', 'precision', 'recall', 'f1', 'roc_auc', 'log_loss',
                          'brier', 'estimated_accuracy', 'mae', 'rmse', 'mape'])
    fair = None
    if not streamed and pred in rcols and kinds[pred] == 'numeric':
        p = cur[pred]
        y = cur[label] if label in cur else [math.nan] * ncur
        y = [math.nan if v is None else v for v in y]
        labels = [v for v in (ref.get(label, []) + y) if v is not None and not math.isnan(v)]
        regression = meta.get('task') == 'regression' or any(v not in (0, 1) for v in labels)
        if 'performance' in which:
            perf = performance(p, y, thr, regression)
        if 'fairness' in which and seg and not regression:
            if kinds[seg] == 'numeric':
                segs = [None if math.isnan(v) else number_name(v) for v in cur[seg]]
            else:
                segs = cur[seg]
            fair = fairness(segs, p, y, thr)
    out['performance'] = perf
    out['fairness'] = fair
    json.dump(clean(out), sys.stdout)
    print()


if __name__ == '__main__':
    main()
