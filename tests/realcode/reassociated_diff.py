#!/usr/bin/env python3
"""Judges a parallel build's output against the serial build's when ParaSlmFloatReassociation=true: every differing line
must differ in numbers only (same text and token count otherwise), and every section (a `== NAME` line starts one; NAME
is a source's base name, e.g. a PolyBench kernel) with a difference must come from a source whose report marks a loop
`lastDigitsMayChange` (a floating-point reduction run in another order). Output with no sections is one section, which a
reassociated loop anywhere explains. A number that differs by more than two units of its last printed digit (and more than LAST_DIGITS relative) is
reported as larger than the last digits (the report's words would then understate it). Prints per differing section the lines that differ and the largest relative
difference; exits 1 when a difference is not explained.
  reassociated_diff.py REPORT.json SERIAL.txt PARALLEL.txt
"""
import json
import os
import re
import sys

# What "the last digits" means here: a double's ~16 significant digits, printed or not, less a few for rounding that
# accumulates over a long sum.
LAST_DIGITS = 1e-9
NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?(?:nan|inf)", re.I)


def unit(token: str) -> float:
    """The value of one unit in the last printed digit of a number as printed (0.01 for 12.34, 1e-5 for 1.2e-4)."""
    m = re.fullmatch(r"[-+]?(\d*)\.?(\d*)(?:[eE]([-+]?\d+))?", token)
    if not m:
        return 0.0
    return 10.0 ** (int(m.group(3) or 0) - len(m.group(2)))


def sections(lines):
    name, out = "", {}
    for line in lines:
        if line.startswith("== "):
            name = line[3:].strip()
        out.setdefault(name, []).append(line)
    return out


def main() -> int:
    report, serial, parallel = sys.argv[1:4]
    r = json.load(open(report))
    marked = {}
    for src in r.get("sources", []):
        for plan in src.get("plans", []):
            if plan.get("lastDigitsMayChange") and plan.get("action") == "parallel":
                base = os.path.splitext(os.path.basename(src["file"]))[0]
                marked.setdefault(base, []).append(f"{os.path.basename(src['file'])}:{plan['line']}")
    a = sections(open(serial, errors="replace").read().split("\n"))
    b = sections(open(parallel, errors="replace").read().split("\n"))
    status = 0
    for name in sorted(set(a) | set(b)):
        x, y = a.get(name, []), b.get(name, [])
        if x == y:
            continue
        if len(x) != len(y):
            print(f"  {name or '(output)'}: {len(x)} vs {len(y)} lines: NOT a numeric difference")
            status = 1
            continue
        worst, changed, beyond = 0.0, 0, 0
        for lx, ly in zip(x, y):
            if lx == ly:
                continue
            changed += 1
            if NUMBER.sub("#", lx) != NUMBER.sub("#", ly):
                print(f"  {name or '(output)'}: text differs: {lx!r} vs {ly!r}")
                status = 1
                break
            for nx, ny in zip(NUMBER.findall(lx), NUMBER.findall(ly)):
                fx, fy = float(nx), float(ny)
                if fx != fy:
                    worst = max(worst, abs(fx - fy) / max(abs(fx), abs(fy), 1e-300))
                    if abs(fx - fy) > max(LAST_DIGITS * max(abs(fx), abs(fy)), 2 * unit(nx), 2 * unit(ny)):
                        beyond += 1
        loops = marked.get(name, []) if name else [l for ls in marked.values() for l in ls]
        why = f"reassociated loops {', '.join(loops)}" if loops else "NO loop marked lastDigitsMayChange"
        print(f"  {name or '(output)'}: {changed} line(s) differ in numbers only, largest relative difference {worst:.2e}; {why}")
        if not loops:
            status = 1
        if beyond:
            print(f"  {name or '(output)'}: {beyond} number(s) differ by MORE than the last digits (2 units of the last printed "
                  f"digit or {LAST_DIGITS:.0e} relative): the "
                  "computation amplifies the rounding differences (ill-conditioned); ParaSlmFloatReassociation=false keeps it serial")
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
