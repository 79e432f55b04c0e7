#!/usr/bin/python3
"""compare.py OURS.json EXPECTED.json: equal structure, strings and nulls;
numbers within a relative 1e-9 or an absolute 1e-12 (stats-spec.md).
Prints each difference with its path; exit 0 when none."""
import json
import sys


def diff(a, b, path, out):
    num = (int, float)
    if isinstance(a, num) and isinstance(b, num) and not isinstance(a, bool):
        if not (a == b or abs(a - b) <= 1e-12 or abs(a - b) <= 1e-9 * abs(b)):
            out.append('%s: %r != %r' % (path, a, b))
    elif isinstance(a, dict) and isinstance(b, dict):
        if set(a) != set(b):
            out.append('%s: keys %s != %s' % (path, sorted(a), sorted(b)))
        for k in set(a) & set(b):
            diff(a[k], b[k], path + '.' + k, out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append('%s: %d items != %d' % (path, len(a), len(b)))
        for i, (x, y) in enumerate(zip(a, b)):
            diff(x, y, '%s[%d]' % (path, i), out)
    elif a != b:
        out.append('%s: %r != %r' % (path, a, b))


def main():
    with open(sys.argv[1]) as f:
        a = json.load(f)
    with open(sys.argv[2]) as f:
        b = json.load(f)
    out = []
    diff(a, b, '$', out)
    for line in out[:20]:
        print(line)
    sys.exit(1 if out else 0)


if __name__ == '__main__':
    main()
