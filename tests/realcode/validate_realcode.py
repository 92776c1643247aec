#!/usr/bin/env python3
"""Validation on real projects, as a user would run it (not part of the test run: it needs fetched code and takes
minutes per build). For one project of validation.json:

  clean      the unmodified sources, built through app.proj with ParaSlmValidate=all and RUNS runs per probe:
             every reverted loop, PSLM500x warning/error or final difference is a false alarm (a loop listed under
             "knownRaces" is a real race the analyzer let through: reported as such, not as a false alarm);
  injections each a scratch copy with a race planted by us (a false ParaSlmAssumePure on the project's own function,
             or a racy loop calling a function we add and declare pure): every expected loop must be reverted, with
             evidence naming its file:line, the loops parallel in the clean build must stay kept, and the final program
             must equal the serial build.
In both, the project's files are hashed before and after (a build never modifies them).

  bash .ci/build      # packs the SDK into artifacts/feed
  tests/realcode/validate_realcode.py kissfft /path/to/unpacked/kissfft /tmp/work [--runs 10] [--inject-runs 3] [--only clean,NAME]

Writes WORK/NAME-SCENARIO.log (the build) and WORK/NAME.results.json; prints one line per scenario; exits 1 when a
check fails. Run one at a time: on a 2-core machine a build's sanitizer runs take minutes.
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPEC = Path(__file__).resolve().with_name("validation.json")
SKIP = {"build", "obj", "bin", ".git"}


def copy_tree(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, ignore=lambda d, names: [n for n in names if Path(d) == src and n in SKIP])


def hashes(root: Path) -> dict:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if p.is_file() and rel.parts[0] not in SKIP:
            out[str(rel)] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def apply_edits(root: Path, edits: list) -> dict:
    """Applies our own planted code; returns per file the (line, count) of inserted lines, to map line numbers."""
    shifts = {}
    for e in edits:
        path = root / e["file"]
        lines = path.read_text().split("\n")
        text = e["text"].rstrip("\n").split("\n")
        if "append" in e:
            lines = lines[:-1] + text + [""] if lines and lines[-1] == "" else lines + text
        else:
            anchor = next(i for i, l in enumerate(lines) if e["after"] in l)
            lines[anchor + 1:anchor + 1] = text
            shifts.setdefault(e["file"], []).append((anchor + 1, len(text)))
        path.write_text("\n".join(lines))
    return shifts


def line_of(root: Path, file: str, text: str, nth: int = 1) -> int:
    seen = 0
    for i, l in enumerate((root / file).read_text().split("\n"), 1):
        if text in l:
            seen += 1
            if seen == nth:
                return i
    raise SystemExit(f"{file}: no line {nth} containing {text!r}")


def build(root: Path, log: Path, runs: int, extra: list, env: dict) -> float:
    (root / "app.proj").write_text(
        '<Project Sdk="Microsoft.Build.NoTargets/3.7.0">\n  <Sdk Name="ParaSlm.Sdk" Version="0.1.0" />\n'
        '  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n</Project>\n')
    (root / "nuget.config").write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n'
        f'    <add key="paraslm-local" value="{REPO / "artifacts" / "feed"}" />\n  </packageSources>\n</configuration>\n')
    start = time.monotonic()
    with open(log, "w") as f:
        rc = subprocess.call(["dotnet", "build", "app.proj", "-nologo", "-v:minimal", "-m:1", "-tl:off",
                              "-p:ParaSlmValidate=all", f"-p:ParaSlmValidateRuns={runs}", *extra],
                             cwd=root, stdout=f, stderr=subprocess.STDOUT, env=env)
    seconds = time.monotonic() - start
    if rc != 0:
        print(f"  the build failed (exit {rc}); see {log}")
    return seconds


def report(root: Path) -> dict:
    found = list(root.glob("obj/**/paraslm/report/paraslm-report.json"))
    return json.loads(found[0].read_text()) if found else {}


def loop_key(root: Path, loop: dict, shifts: dict | None = None) -> tuple:
    rel = os.path.relpath(loop["file"], root)
    line = loop["line"]
    for at, count in reversed((shifts or {}).get(rel, [])):
        if at < line <= at + count:
            return rel, -line  # a planted line: in no clean copy
        if line > at:
            line -= count  # back to the clean copy's numbering
    return rel, line


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("project")
    ap.add_argument("source", type=Path)
    ap.add_argument("work", type=Path)
    ap.add_argument("--runs", type=int, default=10, help="runs per probe of the clean build (false alarms show by chance)")
    ap.add_argument("--inject-runs", type=int, default=3, help="runs per probe of an injected build")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    spec = json.loads(SPEC.read_text())["projects"][a.project]
    a.work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1",
               NUGET_PACKAGES=str(a.work / "packages"))
    only = set(filter(None, a.only.split(",")))
    results_file = a.work / f"{a.project}.results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    known = {(k["file"], k["line"]): k["why"] for k in spec.get("knownRaces", [])}
    failed = False
    for scenario in [{"name": "clean"}] + spec.get("injections", []):
        name = scenario["name"]
        if only and name not in only:
            continue
        root = a.work / f"{a.project}-{name}"
        copy_tree(a.source, root)
        shifts = apply_edits(root, scenario.get("edits", []))
        before = hashes(root)
        # A plan cache of its own per scenario: validation records rejected loops there by content.
        env["XDG_CACHE_HOME"] = str(a.work / f"cache-{name}")
        shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
        extra = list(spec.get("args", []))
        if scenario.get("assumePure"):
            extra.append("-p:ParaSlmAssumePure=" + "%3B".join(scenario["assumePure"]))
        log = a.work / f"{a.project}-{name}.log"
        runs = a.runs if name == "clean" else a.inject_runs
        seconds = build(root, log, runs, extra, env)
        r = report(root)
        v = r.get("validation") or {}
        loops = v.get("loops", [])
        final = v.get("final") or {}
        reverted = {loop_key(root, l, shifts): l for l in loops if l["status"] == "reverted"}
        parallel = sorted({loop_key(root, l, shifts) for l in loops})
        text = log.read_text(errors="replace")
        problems = []
        if hashes(root) != before:
            problems.append("the build changed the project's files")
        if final.get("status") != "equal":
            problems.append(f"final program: {final.get('status')} ({final.get('detail')})")
        variants = {x["name"]: f"{x['status']} {x['seconds']:.0f} s/{x['probes']} probes/{x['runs']} runs" for x in v.get("variants", [])}
        row = {"seconds": round(seconds), "runs": runs, "parallel": len(loops), "variants": variants,
               "final": f"{final.get('status')} in {final.get('runs')} runs"}
        if name == "clean":
            true_alarms = {k: reverted[k]["evidence"] for k in reverted if k in known}
            false_alarms = {k: reverted[k]["evidence"] for k in reverted if k not in known}
            errors = [l for l in text.split("\n") if ("warning PSLM50" in l or "error PSLM50" in l) and "PSLM5001" not in l and "PSLM5002" not in l]
            if false_alarms:
                problems.append(f"false alarms: {sorted(false_alarms)}")
            if errors:
                problems.append(f"validation warnings/errors: {errors[:3]}")
            missing = [k for k in known if k not in reverted]
            row.update(parallelLoops=[f"{f}:{l}" for f, l in parallel], falseAlarms=len(false_alarms),
                       knownRacesFound=[f"{f}:{l}" for f, l in true_alarms], knownRacesNotSeen=[f"{f}:{l}" for f, l in missing])
        else:
            clean = {tuple(x.rsplit(":", 1)) for x in results.get("clean", {}).get("parallelLoops", [])}
            clean = {(f, int(l)) for f, l in clean}
            expected = {(e["file"], line_of(root, e["file"], e["text"], e.get("nth", 1)) + e.get("lineOffset", 0)) for e in scenario["expect"]}
            exp_clean = {loop_key(root, {"file": str(root / f), "line": l}, shifts) for f, l in expected}
            for k in exp_clean:
                if k not in reverted:
                    problems.append(f"planted race not reverted: {k[0]}:{k[1]}")
                elif f"{os.path.basename(k[0])}" not in (reverted[k].get("evidence") or ""):
                    problems.append(f"evidence of {k} does not name its file: {reverted[k].get('evidence')}")
            wrongly = [k for k in reverted if k not in exp_clean and clean and k in clean and k not in known]
            if wrongly:
                problems.append(f"loops parallel in the clean build reverted: {wrongly}")
            row.update(expected=[f"{f}:{l}" for f, l in sorted(expected)],
                       reverted={f"{f}:{reverted[(f, l)]['line']}": (reverted[(f, l)].get("evidence") or "")[:300] for f, l in sorted(reverted)},
                       alsoReverted=[f"{f}:{reverted[(f, l)]['line']}" for f, l in sorted(set(reverted) - exp_clean)])
        row["problems"] = problems
        results[name] = row
        results_file.write_text(json.dumps(results, indent=1))
        failed |= bool(problems)
        print(f"{a.project}/{name}: {'OK' if not problems else 'FAILED'} {row['seconds']} s, {len(loops)} parallel loops, "
              f"{len(reverted)} reverted; {'; '.join(f'{k} {x}' for k, x in variants.items())}; final {row['final']}"
              + ("".join(f"\n  - {p}" for p in problems)), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
