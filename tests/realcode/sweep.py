#!/usr/bin/env python3
"""Real-code sweep: runs `paraslm analyze --json` on every source of public code bases with their real flags.

Not part of the normal test run (it needs fetched code). Usage:

    tests/realcode/sweep.py SRC_ROOT OUT_DIR [--projects tests/realcode/projects.json] [--only NAME,...] [--jobs 2]

SRC_ROOT holds the unpacked projects (each project's "root" is relative to it). For every project the sweep
  1. copies the project to OUT_DIR/copies/NAME and blanks every `#pragma omp` line there (continuations included,
     so line numbers stay), remembering which `for` loop each worksharing pragma (`for`, `parallel for`,
     `distribute parallel for`, `taskloop`) covered: the authors' parallel loops;
  2. gets compile commands: CMake projects are configured with CMAKE_EXPORT_COMPILE_COMMANDS=ON (configure only),
     others get commands synthesized from the project's globs and flags;
  3. analyzes every file with its flags and matches loops by line;
  4. reports per project: files, parsed, loops, parallel (of which with a runtime check), the authors' loops,
     recall on them with misses grouped by reason, and, for race benchmarks ("races": a file-name marker),
     every loop covered by a racy pragma that ParaSlm judged parallel (must be none).
Writes OUT_DIR/sweep.json (everything) and OUT_DIR/summary.md (the table), and prints the table.
"""
import argparse
import concurrent.futures as futures
import fnmatch
import glob
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SOURCE_EXT = ('.c', '.cc', '.cpp', '.cxx', '.h', '.hh', '.hpp')
PRAGMA = re.compile(r'^\s*#\s*pragma\s+omp\b')
WORKSHARING = re.compile(r'\b(for|taskloop)\b')


def strip_pragmas(path):
    """Blanks `#pragma omp` lines in place; returns [(pragma line, pragma text, covered loop line or None)]."""
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        lines = f.read().split('\n')
    found = []
    i = 0
    while i < len(lines):
        if PRAGMA.match(lines[i]):
            start = i
            text = lines[i]
            while lines[i].rstrip().endswith('\\') and i + 1 < len(lines):
                i += 1
                text = text.rstrip()[:-1] + ' ' + lines[i]
            for k in range(start, i + 1):
                lines[k] = ''
            covered = None
            body = re.sub(r'^\s*#\s*pragma\s+omp\s+', '', text)
            if WORKSHARING.search(body.split('(')[0] if '(' in body else body) and not re.match(r'\s*(ordered|critical|atomic|barrier|single|master|section|task\b)', body):
                j = i + 1
                while j < len(lines) and (lines[j].strip() == '' or lines[j].strip().startswith('//') or PRAGMA.match(lines[j])):
                    j += 1
                if j < len(lines) and re.match(r'\s*for\b', lines[j]):
                    covered = j + 1
            found.append((start + 1, ' '.join(text.split()), covered))
        i += 1
    if found:
        with open(path, 'w', encoding='utf-8', errors='surrogateescape') as f:
            f.write('\n'.join(lines))
    return found


def copy_project(src, dst):
    if os.path.exists(dst):
        shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=True, ignore=shutil.ignore_patterns('.git', 'build'))
    pragmas = {}
    for root, _, files in os.walk(dst):
        for name in files:
            if name.endswith(SOURCE_EXT):
                p = os.path.join(root, name)
                found = strip_pragmas(p)
                if found:
                    pragmas[os.path.relpath(p, dst)] = found
    return pragmas


def cmake_commands(copy, args, out):
    build = os.path.join(out, 'cmake-build')
    shutil.rmtree(build, ignore_errors=True)
    r = subprocess.run(['cmake', '-S', copy, '-B', build, '-DCMAKE_EXPORT_COMPILE_COMMANDS=ON', '-DCMAKE_BUILD_TYPE=Release'] + args,
                       capture_output=True, text=True)
    cc = os.path.join(build, 'compile_commands.json')
    if r.returncode != 0 or not os.path.exists(cc):
        raise RuntimeError('cmake configure failed: ' + (r.stderr or r.stdout)[-800:])
    commands = []
    for e in json.load(open(cc)):
        argv = e.get('arguments') or shlex.split(e['command'])
        src = os.path.normpath(os.path.join(e['directory'], e['file']))
        flags = []
        skip = False
        for a in argv[1:]:
            if skip:
                skip = False
                continue
            if a in ('-o', '-MF', '-MT', '-MQ'):
                skip = True
                continue
            if a in ('-c', '-MD', '-MMD') or os.path.normpath(os.path.join(e['directory'], a)) == src:
                continue
            if a.startswith('-I') and len(a) > 2 and not os.path.isabs(a[2:]):
                a = '-I' + os.path.normpath(os.path.join(e['directory'], a[2:]))
            flags.append(a)
        commands.append((src, flags))
    return commands


def synthesized_commands(copy, project):
    files = []
    for pattern in project['sources']:
        files += glob.glob(os.path.join(copy, pattern), recursive=True)
    excludes = project.get('exclude', [])
    commands = []
    for f in sorted(set(files)):
        rel = os.path.relpath(f, copy)
        if any(rel.startswith(x) for x in excludes):
            continue
        cpp = f.endswith(('.cpp', '.cc', '.cxx', '.hpp', '.hh'))
        flags = project.get('cxxflags', project.get('flags', [])) if cpp else project.get('flags', [])
        out = []
        for a in flags:
            a = a.replace('{dir}', os.path.dirname(f))
            if a.startswith('-I') and not os.path.isabs(a[2:]):
                a = '-I' + os.path.join(copy, a[2:])
            out.append(a)
        commands.append((f, out))
    return commands


def analyze(paraslm, src, flags):
    try:
        r = subprocess.run([paraslm, 'analyze', src, '--json', '--'] + flags, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return None, 'timeout'
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ['exit %d' % r.returncode])[-1][:300]
    try:
        return json.loads(r.stdout), None
    except json.JSONDecodeError as e:
        return None, 'bad json: %s' % e


def reason_class(reason):
    r = re.sub(r'^sequential:\s*', '', reason)
    r = re.sub(r'`[^`]*`', '`…`', r)
    r = re.sub(r'\(line[^)]*\)', '', r)
    r = re.sub(r'\bline \d+', 'line N', r)
    r = re.sub(r'\d+', 'N', r)
    return ' '.join(r.split())[:110]


def sweep_project(project, src_root, out, paraslm, jobs):
    name = project['name']
    src = os.path.join(src_root, project['root'])
    copy = os.path.join(out, 'copies', name)
    result = {'name': name, 'copy': copy, 'files': 0, 'parsed': 0, 'loops': 0, 'parallel': 0, 'runtime_check': 0,
              'author_loops': 0, 'author_found': 0, 'misses': [], 'racy_parallel': [], 'errors': [], 'parallel_loops': []}
    if not os.path.isdir(src):
        result['errors'].append('missing ' + src)
        return result
    pragmas = copy_project(src, copy)
    if project.get('prepare'):
        subprocess.run(project['prepare'], shell=True, cwd=copy, capture_output=True)
    try:
        commands = cmake_commands(copy, project['cmake'], os.path.join(out, 'cmake', name)) if 'cmake' in project else synthesized_commands(copy, project)
    except RuntimeError as e:
        result['errors'].append(str(e))
        return result
    result['files'] = len(commands)
    races = project.get('races')
    with futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = list(pool.map(lambda c: (c, analyze(paraslm, c[0], c[1])), commands))
    for (file, flags), (data, error) in outcomes:
        rel = os.path.relpath(file, copy)
        if data is None:
            result['errors'].append('%s: %s' % (rel, error))
            continue
        result['parsed'] += 1
        result.setdefault('analyzed', []).append({'file': rel, 'flags': flags, 'loops': [
            {k: l.get(k) for k in ('line', 'column', 'depth', 'parallelizable', 'reductions', 'private', 'lastprivate', 'runtimeCheck')}
            for l in data['loops']]})
        by_line = {}
        for loop in data['loops']:
            by_line.setdefault(loop['line'], loop)
            result['loops'] += 1
            if loop['parallelizable']:
                result['parallel'] += 1
                if loop.get('runtimeCheck'):
                    result['runtime_check'] += 1
                result['parallel_loops'].append({'file': rel, 'line': loop['line'], 'reason': loop['reason'],
                                                 'runtimeCheck': loop.get('runtimeCheck')})
        for pline, text, covered in pragmas.get(rel, []):
            if covered is None:
                continue
            loop = by_line.get(covered)
            if loop is None:
                continue  # e.g. a loop inside a macro or an inactive #if branch
            result['author_loops'] += 1
            racy = races is not None and races in os.path.basename(rel)
            if loop['parallelizable']:
                result['author_found'] += 1
                if racy:
                    result['racy_parallel'].append({'file': rel, 'line': covered, 'pragma': text, 'reason': loop['reason']})
            elif not racy:
                result['misses'].append({'file': rel, 'line': covered, 'pragma': text, 'reason': loop['reason'], 'class': reason_class(loop['reason'])})
    # Race benchmarks: the racy files' pragmas are not a recall target.
    if races is not None:
        racy_author = sum(1 for rel, ps in pragmas.items() if races in os.path.basename(rel) for p in ps if p[2] is not None)
        result['racy_author_loops'] = racy_author
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('src_root')
    ap.add_argument('out')
    ap.add_argument('--projects', default=os.path.join(HERE, 'projects.json'))
    ap.add_argument('--only', default='')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--paraslm', default=os.path.join(REPO, 'artifacts', 'bin', 'ParaSlm.Cli', 'release', 'paraslm'))
    a = ap.parse_args()
    projects = json.load(open(a.projects))['projects']
    if a.only:
        wanted = set(a.only.split(','))
        projects = [p for p in projects if p['name'] in wanted]
    os.makedirs(a.out, exist_ok=True)
    results = []
    for p in projects:
        print('sweeping %s …' % p['name'], file=sys.stderr, flush=True)
        results.append(sweep_project(p, os.path.abspath(a.src_root), os.path.abspath(a.out), a.paraslm, a.jobs))
    # --only refreshes those projects in an earlier sweep.json and keeps the others, so the table stays whole.
    previous = os.path.join(a.out, 'sweep.json')
    if a.only and os.path.exists(previous):
        fresh = {r['name']: r for r in results}
        order = [p['name'] for p in json.load(open(a.projects))['projects']]
        kept = [r for r in json.load(open(previous)) if r['name'] not in fresh]
        results = sorted(kept + results, key=lambda r: order.index(r['name']) if r['name'] in order else len(order))
    json.dump(results, open(previous, 'w'), indent=1)
    lines = ['| project | files | parsed | loops | parallel | (runtime check) | authors\' loops | found | recall | racy loops judged parallel |',
             '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|']
    tot = Counter()
    for r in results:
        recall = '%.1f%%' % (100.0 * r['author_found'] / r['author_loops']) if r['author_loops'] else '–'
        racy = len(r['racy_parallel']) if 'racy_author_loops' in r else '–'
        if 'racy_author_loops' in r:
            # recall of a race benchmark counts only its race-free files' loops
            clean = r['author_loops'] - r['racy_author_loops']
            found = r['author_found'] - len(r['racy_parallel'])
            recall = '%.1f%% (race-free files)' % (100.0 * found / clean) if clean else '–'
        lines.append('| %s | %d | %d | %d | %d | %d | %d | %d | %s | %s |' % (r['name'], r['files'], r['parsed'], r['loops'], r['parallel'],
                                                                            r['runtime_check'], r['author_loops'], r['author_found'], recall, racy))
        for k in ('files', 'parsed', 'loops', 'parallel', 'runtime_check', 'author_loops', 'author_found'):
            tot[k] += r[k]
        tot['racy'] += len(r['racy_parallel'])
    lines.append('| **total** | %d | %d | %d | %d | %d | %d | %d | | %d |' % (tot['files'], tot['parsed'], tot['loops'], tot['parallel'], tot['runtime_check'],
                                                                           tot['author_loops'], tot['author_found'], tot['racy']))
    lines.append('')
    for r in results:
        if r['misses']:
            lines.append('**%s** misses by reason:' % r['name'])
            for cls, n in Counter(m['class'] for m in r['misses']).most_common(8):
                lines.append('- %d × %s' % (n, cls))
        for x in r['racy_parallel']:
            lines.append('- RACY LOOP JUDGED PARALLEL: %s:%d `%s` — %s' % (x['file'], x['line'], x['pragma'], x['reason']))
        if r['errors']:
            lines.append('%s: %d file(s) not analyzed, e.g. %s' % (r['name'], len(r['errors']), r['errors'][0]))
    text = '\n'.join(lines)
    open(os.path.join(a.out, 'summary.md'), 'w').write(text + '\n')
    print(text)
    return 1 if tot['racy'] else 0


if __name__ == '__main__':
    sys.exit(main())
