#!/usr/bin/python3
"""gen.py DIR: write the drift test datasets (reference/current pairs) into DIR.

Cases: ties and repeated values, heavy tails, missing cells (empty, NaN),
values beyond the reference's range, categories never seen in the reference,
quoted fields, CRLF, a constant reference column, a column turning from
numbers to text, regression labels, one-class labels, a numeric segment, a
JSON reference body with schema/threshold/segment_by, too few rows.
"""
import json
import os
import sys

import numpy as np


def write_csv(path, header, rows, crlf=False):
    nl = '\r\n' if crlf else '\n'
    with open(path, 'w', newline='') as f:
        f.write(','.join(header) + nl)
        for r in rows:
            f.write(','.join(r) + nl)


def fmt(x, rng, missing=0.03):
    u = rng.random()
    if u < missing / 2:
        return ''
    if u < missing:
        return 'NaN'
    return repr(float(x)) if rng.random() < 0.5 else '%.6g' % x


def classification(rng, n, shift, regions):
    rows = []
    for i in range(n):
        age = int(rng.integers(18, 30 + 10 * shift))          # ties
        inc = rng.standard_cauchy() * 1000 + 40000 + 3000 * shift
        score = rng.normal(shift, 1)
        reg = rng.choice(regions)
        reg = '"%s"' % reg if ',' in reg else reg
        if rng.random() < 0.02:
            reg = ''
        p = 1 / (1 + np.exp(-(score + 0.3 * rng.normal())))
        y = int(rng.random() < p)
        lab = '' if rng.random() < 0.1 else str(y)
        rows.append(['r%d' % i, str(age), fmt(inc, rng), fmt(score, rng, 0),
                     reg, '%.6f' % p, lab])
    return rows


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(20261123)
    h = ['id', 'age', 'income', 'score', 'region', 'prediction', 'label']
    write_csv(f'{d}/cls_ref.csv', h, classification(rng, 3000, 0,
              ['north', 'south', 'east', 'west, far']))
    write_csv(f'{d}/cls_cur.csv', h, classification(rng, 2000, 1,
              ['north', 'south', 'east', 'west, far', 'island']), crlf=True)

    # Constant reference column, an all-missing current column, a column
    # whose numbers turn into text late in the reference.
    h = ['const', 'gone', 'code', 'x']
    ref = [['7', str(i % 5), str(i % 3) if i < 150 else 'A%d' % (i % 2),
            str(rng.normal())] for i in range(300)]
    cur = [[str(7 + (i % 2)), '', ['1', '2', '1.0', 'A1'][i % 4],
            str(rng.normal(0.5))] for i in range(250)]
    write_csv(f'{d}/odd_ref.csv', h, ref)
    write_csv(f'{d}/odd_cur.csv', h, cur)

    # Regression: continuous labels.
    h = ['f1', 'f2', 'prediction', 'label']
    for name, n, s in (('reg_ref', 400, 0), ('reg_cur', 300, 0.2)):
        rows = []
        for _ in range(n):
            a, b = rng.normal(s), rng.exponential(1 + s)
            y = 3 * a + b + rng.normal()
            rows.append([repr(a), repr(b), repr(y + rng.normal(0, 0.5)), repr(y)])
        write_csv(f'{d}/{name}.csv', h, rows)

    # One class of labels; a numeric segment column; all-equal scores.
    h = ['grp', 'v', 'prediction', 'label']
    for name, n in (('one_ref', 200), ('one_cur', 220)):
        rows = [[str(int(rng.integers(1, 4))), str(rng.normal()), '0.5', '1']
                for _ in range(n)]
        write_csv(f'{d}/{name}.csv', h, rows)

    # JSON reference body with schema, threshold and segment_by.
    rows = []
    for i in range(500):
        p = float(rng.random())
        rows.append({'id': 't-%d' % i,
                     'features': {'income': float(rng.normal(50000, 8000)),
                                  'zip': int(rng.integers(10, 14)),
                                  'region': str(rng.choice(['north', 'south'])) if i % 37 else None},
                     'prediction': p, 'label': int(rng.random() < p)})
    body = {'task': 'binary_classification', 'positive_label': 1, 'threshold': 0.3,
            'schema': [{'name': 'income', 'type': 'numeric'},
                       {'name': 'zip', 'type': 'categorical'},
                       {'name': 'region', 'type': 'categorical'}],
            'baseline': {'accuracy': 0.7}, 'segment_by': 'region', 'rows': rows}
    with open(f'{d}/json_ref.json', 'w') as f:
        json.dump(body, f)
    h = ['id', 'income', 'zip', 'region', 'prediction', 'label']
    write_csv(f'{d}/json_cur.csv', h, [
        ['c%d' % i, repr(float(rng.normal(52000, 9000))), str(int(rng.integers(10, 15))),
         str(rng.choice(['north', 'south'])), '%.5f' % rng.random(),
         str(int(rng.random() < 0.5))] for i in range(400)])
    # The same current rows as JSON samples (no labels: they arrive late).
    with open(f'{d}/json_cur.csv') as f:
        lines = f.read().splitlines()[1:]
    samples = [{'id': c[0], 'ts': 1763800000000 + i,
                'features': {'income': float(c[1]), 'zip': int(c[2]), 'region': c[3]},
                'prediction': float(c[4])}
               for i, c in enumerate(x.split(',') for x in lines)]
    with open(f'{d}/json_cur.json', 'w') as f:
        json.dump({'cursor': '1', 'more': False, 'rows': samples}, f)

    # Too few rows.
    h = ['a', 'prediction']
    write_csv(f'{d}/few_ref.csv', h, [[str(i), '0.4'] for i in range(50)])
    write_csv(f'{d}/few_cur.csv', h, [[str(i * 2), '0.6'] for i in range(500)])


if __name__ == '__main__':
    main()
