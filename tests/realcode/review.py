#!/usr/bin/env python3
"""Groups every loop the sweep judged parallel by the rule its proof leans on, with samples to read.

    tests/realcode/review.py OUT_DIR [--samples 3] [--only NAME,...]

Reads OUT_DIR/sweep.json (sweep.py) and the pragma-free copies, cuts each parallel loop's text out of its file
(the `for` statement, by bracket matching that skips comments and literals) and puts it in the first group that
applies, strongest assumption first:

  runtime-overlap   parallel only if pointers do not overlap (the runtime check compares addresses)
  runtime-extent    parallel only if a loop-invariant bound keeps subscripts inside their rows (`m <= 256`)
  method-call       C++ member calls or user operators on objects (accessors read in place, pure methods)
  call              calls of functions other than libm (bodies analyzed transitively, or asserted pure)
  indirect-read     reads through an index array (`a[idx[i]]`): only reads, never written through
  reduction         scalar reductions
  private           privatized scalars (private / lastprivate, liveness)
  math              libm calls only, otherwise affine accesses
  affine            affine subscripts only: the dependence tests alone

Writes OUT_DIR/review.md (counts per project and group, then samples) and OUT_DIR/review.json.
"""
import argparse
import json
import os
import re
from collections import Counter, defaultdict

LIBM = set('''sin cos tan asin acos atan atan2 sinh cosh tanh exp exp2 expm1 log log2 log10 log1p pow sqrt cbrt hypot
fabs fabsf fmax fmin fmaxf fminf floor ceil round trunc fmod sinf cosf expf logf powf sqrtf abs labs min max
std::min std::max std::abs std::sqrt std::exp std::pow std::fabs MIN MAX ABS SQR sizeof'''.split())
KEYWORDS = {'for', 'if', 'while', 'switch', 'return', 'sizeof', 'do', 'else'}
GROUPS = ['runtime-overlap', 'runtime-extent', 'method-call', 'call', 'indirect-read', 'reduction', 'private', 'math', 'affine']


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text, flags=re.S)
    text = re.sub(r'//[^\n]*', '', text)
    return re.sub(r'"(\\.|[^"\\])*"', '""', text)


def loop_text(lines, line, column):
    """The `for` statement starting at (line, column): header in parentheses, then a braced body or one statement."""
    text = strip_comments('\n'.join(lines[line - 1:line + 400]))
    i = column - 1
    depth, k, seen = 0, i, False
    while k < len(text):  # the header
        c = text[k]
        if c == '(':
            depth += 1
            seen = True
        elif c == ')':
            depth -= 1
            if seen and depth == 0:
                k += 1
                break
        k += 1
    while k < len(text) and text[k].isspace():
        k += 1
    if k < len(text) and text[k] == '{':
        depth = 0
        while k < len(text):
            if text[k] == '{':
                depth += 1
            elif text[k] == '}':
                depth -= 1
                if depth == 0:
                    k += 1
                    break
            k += 1
    else:
        depth = 0
        while k < len(text):
            c = text[k]
            if c in '({[':
                depth += 1
            elif c in ')}]':
                depth -= 1
            elif c == ';' and depth <= 0:
                k += 1
                break
            k += 1
    return text[i:k]


def features(body, loop):
    calls = [m.group(1) for m in re.finditer(r'([A-Za-z_][\w:]*)\s*\(', body) if m.group(1) not in KEYWORDS]
    calls = calls[1:] if calls and calls[0] == 'for' else calls
    methods = re.findall(r'(?:\.|->)\s*([A-Za-z_]\w*)\s*\(', body) + re.findall(r'\boperator\b', body)
    plain = [c for c in calls if c not in LIBM and c not in methods and not re.match(r'^[A-Z_][A-Z0-9_]*$', c)]
    indirect = re.search(r'\[[^\]\[]*\w\s*\[[^\]]*\][^\]]*\]', body) is not None
    check = loop.get('runtimeCheck') or ''
    return {
        'overlap': re.search(r'<=\s*[^\s\d]', check) is not None or '!=' in check,
        'extent': bool(check),
        'methods': methods,
        'calls': plain,
        'libm': [c for c in calls if c in LIBM],
        'indirect': indirect,
        'reduction': bool(loop.get('reductions')),
        'private': bool(loop.get('private') or loop.get('lastprivate')),
    }


def group_of(f):
    if f['overlap']:
        return 'runtime-overlap'
    if f['extent']:
        return 'runtime-extent'
    if f['methods']:
        return 'method-call'
    if f['calls']:
        return 'call'
    if f['indirect']:
        return 'indirect-read'
    if f['reduction']:
        return 'reduction'
    if f['private']:
        return 'private'
    if f['libm']:
        return 'math'
    return 'affine'


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('out')
    ap.add_argument('--samples', type=int, default=3)
    ap.add_argument('--only', default='')
    a = ap.parse_args()
    results = json.load(open(os.path.join(a.out, 'sweep.json')))
    if a.only:
        results = [r for r in results if r['name'] in a.only.split(',')]
    table = defaultdict(Counter)
    samples = defaultdict(list)
    entries = []
    for r in results:
        for f in r.get('analyzed', []):
            path = os.path.join(r['copy'], f['file'])
            try:
                lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
            except OSError:
                continue
            for loop in f['loops']:
                if not loop['parallelizable']:
                    continue
                body = loop_text(lines, loop['line'], loop['column'])
                feats = features(body, loop)
                g = group_of(feats)
                table[r['name']][g] += 1
                e = {'project': r['name'], 'file': f['file'], 'line': loop['line'], 'group': g, 'runtimeCheck': loop.get('runtimeCheck'),
                     'calls': sorted(set(feats['calls'])), 'methods': sorted(set(feats['methods']))}
                entries.append(e)
                if len(samples[(r['name'], g)]) < a.samples:
                    samples[(r['name'], g)].append((e, body))
    out = ['| project | ' + ' | '.join(GROUPS) + ' | total |', '|---|' + '---:|' * (len(GROUPS) + 1)]
    total = Counter()
    for name, c in table.items():
        out.append('| %s | %s | %d |' % (name, ' | '.join(str(c[g]) for g in GROUPS), sum(c.values())))
        total.update(c)
    out.append('| **total** | %s | %d |' % (' | '.join(str(total[g]) for g in GROUPS), sum(total.values())))
    out.append('')
    for (name, g), items in sorted(samples.items()):
        out.append('### %s — %s' % (name, g))
        for e, body in items:
            lines = body.split('\n')
            shown = '\n'.join(lines[:14]) + ('\n…' if len(lines) > 14 else '')
            out.append('%s:%d %s%s\n```c\n%s\n```' % (e['file'], e['line'], ('check: ' + e['runtimeCheck'][:120]) if e['runtimeCheck'] else '',
                                                    (' calls: ' + ', '.join(e['calls'] + e['methods'])) if e['calls'] or e['methods'] else '', shown))
    open(os.path.join(a.out, 'review.md'), 'w').write('\n'.join(out) + '\n')
    json.dump(entries, open(os.path.join(a.out, 'review.json'), 'w'), indent=1)
    print('\n'.join(out[:len(table) + 4]))


if __name__ == '__main__':
    main()
