#!/usr/bin/env python3
"""Runs ParaSlm's parallel verdicts under ThreadSanitizer + Archer, for projects whose sources are whole programs.

    tests/realcode/tsan_check.py OUT_DIR PROJECT [--threads 4] [--runs 2] [--match REGEX] [--extra SRC] [--cflags FLAGS]
                                 [--ldflags LIBS] [--args ARGS] [--timeout S] [--together [--name NAME]]

Reads OUT_DIR/sweep.json (written by sweep.py). For every analyzed file of PROJECT with a loop judged parallel, it
writes the pragma-free copy with ParaSlm's own directive in front of each outermost parallel loop
(`#pragma omp parallel for` + its reduction/private/lastprivate clauses; a runtime check becomes the `if(...)`
clause, which runs the loop serially when it is false), builds it with clang-19 -fopenmp -fsanitize=thread, and
runs it with Archer (OMP_TOOL_LIBRARIES) on THREADS threads, RUNS times. The reference is the pragma-free copy built
with the same -fopenmp (the program's own #ifdef _OPENMP code) and run once; stdout of both (and stderr with
--stderr: TSan's reports go to a log file) must agree. A file whose rewrite races or differs is a defect. Both outputs are kept beside the programs (NAME.serial.out, NAME.tsan.out when it differs).
"""
import argparse
import glob
import json
import os
import re
import subprocess
import sys

ARCHER = '/usr/lib/llvm-19/lib/libarcher.so'
# Classic C these suites ship compiles with GCC's warnings; clang-19 makes them errors (ParaSlm parses it the same way).
LENIENT = ['-Wno-error=implicit-int', '-Wno-error=implicit-function-declaration', '-Wno-error=int-conversion',
           '-Wno-error=incompatible-function-pointer-types', '-Wno-error=return-type']


def directive(loop):
    parts = ['#pragma omp parallel for']
    by_op = {}
    for r in loop.get('reductions') or []:
        by_op.setdefault(r['op'], []).append(r['var'])
    for op, vs in by_op.items():
        parts.append('reduction(%s:%s)' % (op, ','.join(vs)))
    if loop.get('private'):
        parts.append('private(%s)' % ','.join(loop['private']))
    if loop.get('lastprivate'):
        parts.append('lastprivate(%s)' % ','.join(loop['lastprivate']))
    if loop.get('runtimeCheck'):
        parts.append('if(%s)' % loop['runtimeCheck'])
    return ' '.join(parts)


def rewrite(path, loops, dest):
    lines = open(path, encoding='utf-8', errors='surrogateescape').read().split('\n')
    applied = []
    stack = []  # (depth, parallel) of enclosing loops, by source order
    for l in sorted(loops, key=lambda x: (x['line'], x['column'])):
        while stack and stack[-1][0] >= l['depth']:
            stack.pop()
        inside_parallel = any(p for _, p in stack)
        stack.append((l['depth'], l['parallelizable']))
        if not l['parallelizable'] or inside_parallel:
            continue
        text = lines[l['line'] - 1]
        if not re.match(r'\s*for\b', text) or len(text) - len(text.lstrip()) + 1 != l['column']:
            continue  # the `for` does not start its line: leave it serial rather than guess
        lines[l['line'] - 1] = directive(l) + '\n' + text
        applied.append(l['line'])
    open(dest, 'w', encoding='utf-8', errors='surrogateescape').write('\n'.join(lines))
    return applied


SOURCES = ('.c', '.cc', '.cpp', '.cxx')
HEADERS = ('.h', '.hh', '.hpp')


NUMBER = re.compile(r'[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?')


IGNORE = []  # regular expressions of output lines that differ between any two runs (timers)


def same_output(a, b, rel=1e-6):
    """Equal text apart from floating-point numbers within a relative tolerance (a parallel reduction reassociates)."""
    if IGNORE:
        a, b = ('\n'.join(l for l in x.split('\n') if not any(re.search(p, l) for p in IGNORE)) for x in (a, b))
    if a == b:
        return True
    if NUMBER.sub('#', a) != NUMBER.sub('#', b):
        return False
    for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)):
        fx, fy = float(x), float(y)
        if abs(fx - fy) > rel * max(abs(fx), abs(fy), 1.0):
            return False
    return True


def run(cmd, env=None, timeout=120):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout, errors='replace')
        return r.returncode, r.stdout, r.stderr
    except subprocess.TimeoutExpired:
        return None, '', 'timeout'


def compare_runs(a, serial_cmd, tsan_cmd, base, timeout):
    """Runs the serial reference once and the TSan build a.runs times; returns (races, differs, first race report).

    TSan's reports go to BASE.tsanlog.* (log_path), so that with --stderr the program's own stderr (PolyBench dumps
    its arrays there) is compared too. The outputs are kept beside (BASE.serial.out, BASE.tsan.out) for reading a
    difference."""
    _, serial_out, serial_err = run(serial_cmd + a.args.split(), env=dict(os.environ, OMP_NUM_THREADS=str(a.threads)), timeout=timeout)
    env = dict(os.environ, OMP_NUM_THREADS=str(a.threads), OMP_TOOL_LIBRARIES=ARCHER,
               TSAN_OPTIONS='ignore_noninstrumented_modules=1 history_size=4 log_path=' + base + '.tsanlog')
    expected = serial_out + (serial_err if a.stderr else '')
    open(base + '.serial.out', 'w').write(expected)
    races, differs, first = 0, False, None
    for _ in range(a.runs):
        for old in glob.glob(base + '.tsanlog*'):
            os.remove(old)
        _, out, err = run(tsan_cmd + a.args.split(), env=env, timeout=timeout)
        log = ''.join(open(x, errors='replace').read() for x in sorted(glob.glob(base + '.tsanlog*')))
        races += log.count('WARNING: ThreadSanitizer: data race')
        if races and first is None:
            first = log[log.index('WARNING: ThreadSanitizer'):][:3000]
        got = out + (err if a.stderr else '')
        if not same_output(got, expected):
            differs = True
            open(base + '.tsan.out', 'w').write(got)
    return races, differs, first


def together(a, project, work):
    """Builds the matched files as one program. Headers with loops (miniFE's templates) are rewritten too: every matched
    file goes into WORK under its own name and WORK comes first on the include path, so a quoted include finds the
    rewritten header whichever file includes it."""
    files = [f for f in project.get('analyzed', []) if os.path.splitext(f['file'])[1] in SOURCES + HEADERS and re.search(a.match, f['file'])]
    sources, serial_sources, applied = [], [], {}
    for f in files:
        src = os.path.join(project['copy'], f['file'])
        dest = os.path.join(work, os.path.basename(src))
        done = rewrite(src, f['loops'], dest)
        applied[f['file']] = done
        if os.path.splitext(src)[1] in SOURCES:
            serial_sources.append(src)
            sources.append(dest)
    extra = [os.path.join(project['copy'], x) for x in a.extra]
    sources += extra
    serial_sources += extra
    cpp = any(x.endswith(('.cc', '.cpp', '.cxx')) for x in sources)
    cc = 'clang++-19' if cpp else 'clang-19'
    flags = sorted({x for f in files for x in f['flags'] if x.startswith(('-I', '-D', '-std'))}) + ['-I' + project['copy']] + a.cflags.split()
    rc, _, err = run([cc, '-O1', '-g', '-fopenmp', '-fsanitize=thread', '-I' + work] + LENIENT + sources + ['-o', os.path.join(work, 'program.tsan')] + flags + a.ldflags.split() + ['-lm'], timeout=max(a.timeout, 600))
    rs, _, errs = run([cc, '-O1', '-g', '-fopenmp'] + LENIENT + serial_sources + ['-o', os.path.join(work, 'program.serial')] + flags + a.ldflags.split() + ['-lm'], timeout=max(a.timeout, 600))
    entry = {'files': applied, 'loops': sum(len(v) for v in applied.values())}
    if rc != 0 or rs != 0:
        entry['status'] = 'build-failed'
        entry['detail'] = (err or errs)[-1500:]
    else:
        races, differs, first = compare_runs(a, [os.path.join(work, 'program.serial')], [os.path.join(work, 'program.tsan')],
                                             os.path.join(work, 'program'), 600)
        if first:
            entry['first_race'] = first
        entry['status'] = 'race' if races else ('output-differs' if differs else 'ok')
        entry['races'] = races
    json.dump(entry, open(os.path.join(work, 'tsan.json'), 'w'), indent=1)
    print(json.dumps({k: v for k, v in entry.items() if k != 'first_race'}, indent=1))
    if entry.get('first_race'):
        print(entry['first_race'])
    return 1 if entry['status'] == 'race' else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('out')
    ap.add_argument('project')
    ap.add_argument('--threads', type=int, default=4)
    ap.add_argument('--runs', type=int, default=2)
    ap.add_argument('--match', default='', help='a regular expression the analyzed file must contain, e.g. "^(BT|common)/"')
    ap.add_argument('--name', default='', help='the result folder under OUT/tsan/PROJECT (several --together programs per project)')
    ap.add_argument('--extra', action='append', default=[], help='another source to link (relative to the project copy), e.g. utilities/polybench.c')
    ap.add_argument('--cflags', default='', help='extra compiler flags for both builds, e.g. -DMINI_DATASET')
    ap.add_argument('--ldflags', default='', help="libraries the programs link, after the sources, e.g. \"/abs/libzfp.a\" (built plainly: what the project's own headers instantiate is still instrumented)")
    ap.add_argument('--timeout', type=int, default=120, help='seconds per build or run')
    ap.add_argument('--together', action='store_true', help='the analyzed files form one program (LULESH): build them together')
    ap.add_argument('--stderr', action='store_true', help="compare the programs' stderr too (PolyBench dumps its arrays there)")
    ap.add_argument('--args', default='', help='program arguments, e.g. "-s 8 -i 20"')
    ap.add_argument('--ignore', action='append', default=[], help='a regular expression of output lines to leave out of the comparison (timers)')
    a = ap.parse_args()
    IGNORE.extend(a.ignore)
    results = {r['name']: r for r in json.load(open(os.path.join(a.out, 'sweep.json')))}
    project = results[a.project]
    work = os.path.join(a.out, 'tsan', a.project, a.name) if a.name else os.path.join(a.out, 'tsan', a.project)
    os.makedirs(work, exist_ok=True)
    report = []
    if a.together:
        return together(a, project, work)
    for f in project.get('analyzed', []):
        if not re.search(a.match, f['file']) or not any(l['parallelizable'] for l in f['loops']):
            continue
        src = os.path.join(project['copy'], f['file'])
        base = os.path.join(work, re.sub(r'[^A-Za-z0-9_.-]', '_', f['file']))
        ext = os.path.splitext(src)[1]
        par_src = base + '.paraslm' + ext
        applied = rewrite(src, f['loops'], par_src)
        if not applied:
            continue
        cc = 'clang++-19' if ext in ('.cpp', '.cc', '.cxx') else 'clang-19'
        flags = [x for x in f['flags'] if x.startswith(('-I', '-D', '-std'))] + ['-I' + os.path.dirname(src)] + a.cflags.split()
        flags += [os.path.join(project['copy'], x) for x in a.extra]
        entry = {'file': f['file'], 'loops': applied}
        libs = a.ldflags.split() + ['-lm']
        rc, _, err = run([cc, '-O1', '-g', '-fopenmp', '-fsanitize=thread'] + LENIENT + [par_src, '-o', base + '.tsan'] + flags + libs, timeout=a.timeout)
        # The reference is the same program with -fopenmp (its own #ifdef _OPENMP paths) and no parallel loop.
        rs, _, errs = run([cc, '-O1', '-g', '-fopenmp'] + LENIENT + [src, '-o', base + '.serial'] + flags + libs, timeout=a.timeout)
        if rc != 0 or rs != 0:
            entry['status'] = 'build-failed'
            entry['detail'] = (err or errs).strip().splitlines()[-1:] if (err or errs).strip() else []
            report.append(entry)
            continue
        races, differs, first = compare_runs(a, [base + '.serial'], [base + '.tsan'], base, a.timeout)
        if first:
            entry['first_race'] = first
        entry['status'] = 'race' if races else ('output-differs' if differs else 'ok')
        entry['races'] = races
        report.append(entry)
        print('%-60s %-15s loops %s' % (f['file'], entry['status'], applied), flush=True)
    json.dump(report, open(os.path.join(work, 'tsan.json'), 'w'), indent=1)
    counts = {}
    for e in report:
        counts[e['status']] = counts.get(e['status'], 0) + 1
    print('summary:', json.dumps(counts), 'files,', sum(len(e['loops']) for e in report), 'parallel loops applied')
    return 1 if counts.get('race') else 0


if __name__ == '__main__':
    sys.exit(main())
