#!/usr/bin/env python3
"""Validation on real projects, as a user would run it (not part of the test run: it needs fetched code and takes
minutes per build). For one project of validation.json:

  clean      the unmodified sources, built through app.proj with ParaSlmValidate=all, REPEAT separate validating
             builds (each with no engine state, no validation result and an empty plan cache, so each is a whole
             validation: every file analyzed, serial references, every variant's probes, the final check) with RUNS runs per probe: every reverted loop,
             PSLM500x warning/error or final difference is a false alarm (a loop listed under "knownRaces" is a real
             race the analyzer let through: reported as such, not as a false alarm);
  injections each a copy with a race planted by us (a false ParaSlmAssumePure on the project's own function, or a
             racy loop calling a function we add and declare pure): every expected loop must be reverted, with
             evidence naming its file:line, the loops parallel in the clean build must stay kept, and the final program
             must equal the serial build.
In both, the project's files are hashed before and after (a build never modifies them).

The project is built in one tree, WORK/NAME, for every scenario: the sources are synchronized into it by content (a
file is rewritten only when its text differs, so CMake recompiles only what a scenario changed, and a restored file is
newer than its objects); before each build the engine's state (with its rejections), the validation's result and stamp
and the plan cache are deleted, while the CMake trees under build/ and their settings are kept: only the first build
pays for configuring and compiling the serial, parallel and sanitizer trees.

  bash .ci/build      # packs the SDK into artifacts/feed
  tests/realcode/validate_realcode.py kissfft /path/to/unpacked/kissfft /tmp/work [--repeat 10] [--runs 3] [--inject-runs 3] [--only clean,NAME]

Writes WORK/NAME-SCENARIO[-k].log (each build) and WORK/NAME.results.json; prints one line per build; exits 1 when a
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


def sync_tree(src: Path, dst: Path, edits: list) -> dict:
    """Makes dst's sources equal to src plus our planted edits, writing only the files whose text differs (build/,
    obj/, bin/ at the top are left alone); returns apply_edits' line shifts."""
    stage = dst.with_name(dst.name + ".stage")
    if stage.exists():
        shutil.rmtree(stage)
    shutil.copytree(src, stage, ignore=lambda d, names: [n for n in names if Path(d) == src and n in SKIP])
    shifts = apply_edits(stage, edits)
    dst.mkdir(parents=True, exist_ok=True)
    wanted = {p.relative_to(stage) for p in stage.rglob("*") if p.is_file()}
    for rel in sorted(wanted):
        data = (stage / rel).read_bytes()
        target = dst / rel
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)  # a fresh mtime: newer than any object built from the other text
    for p in sorted(dst.rglob("*"), reverse=True):
        rel = p.relative_to(dst)
        if rel.parts[0] in SKIP or rel.name in ("app.proj", "nuget.config"):
            continue
        if p.is_file() and rel not in wanted:
            p.unlink()
    shutil.rmtree(stage)
    return shifts


def reset_validation(root: Path) -> None:
    """Forgets what the engine and validation recorded (engine state with its rejections, the validation's result and
    stamp), so the next build analyzes every file again and validates from its serial references on; keeps the CMake
    trees' settings (deleting all of obj/ would configure and compile every sanitizer tree from scratch)."""
    for name in ("paraslm.state.json", "paraslm.apply.stamp", "paraslm.validate.stamp", "paraslm.validation.json", "paraslm.validate.memo.json"):
        for f in (root / "obj").rglob(name) if (root / "obj").exists() else []:
            f.unlink()


def write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)


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


def prepare(root: Path) -> None:
    """app.proj and nuget.config as REALCODE.md has a user write them (the SDK from this repository's feed)."""
    write_if_changed(root / "app.proj",
        '<Project Sdk="Microsoft.Build.NoTargets/3.7.0">\n  <Sdk Name="ParaSlm.Sdk" Version="0.1.0" />\n'
        '  <PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup>\n</Project>\n')
    write_if_changed(root / "nuget.config",
        f'<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSources>\n'
        f'    <add key="paraslm-local" value="{REPO / "artifacts" / "feed"}" />\n  </packageSources>\n</configuration>\n')


def build(root: Path, log: Path, runs: int, extra: list, env: dict) -> float:
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


def check_build(a, spec: dict, scenario: dict, root: Path, shifts: dict, log: Path, results: dict, known: dict,
                before: dict, seconds: float, runs: int) -> dict:
    """Judges one validating build: the row of results.json for it, with its problems."""
    name = scenario["name"]
    r = report(root)
    v = r.get("validation") or {}
    loops = v.get("loops", [])
    final = v.get("final") or {}
    reverted = {loop_key(root, l, shifts): l for l in loops if l["status"] == "reverted"}
    parallel = sorted({loop_key(root, l, shifts) for l in loops})
    text = log.read_text(errors="replace")
    problems = []
    if not v:
        problems.append("no validation in the report (the build did not validate)")
    if hashes(root) != before:
        problems.append("the build changed the project's files")
    if final.get("status") != "equal":
        problems.append(f"final program: {final.get('status')} ({final.get('detail')})")
    variants = {x["name"]: f"{x['status']} {x['seconds']:.0f} s/{x['probes']} probes/{x['runs']} runs" for x in v.get("variants", [])}
    row = {"seconds": round(seconds), "runs": runs, "parallel": len(loops), "variants": variants,
           "probes": sum(x["probes"] for x in v.get("variants", [])),
           "testRuns": sum(x["runs"] for x in v.get("variants", [])) + (final.get("runs") or 0),
           "final": f"{final.get('status')} in {final.get('runs')} runs"}
    if name == "clean":
        true_alarms = {k: reverted[k]["evidence"] for k in reverted if k in known}
        false_alarms = {k: reverted[k]["evidence"] for k in reverted if k not in known}
        # PSLM5001 is a reverted loop (judged above against knownRaces), PSLM5002 a variant unavailable here, PSLM5009
        # a run that timed out (machine load): no alarm, counted apart.
        errors = sorted({l.strip() for l in text.split("\n") if ("warning PSLM50" in l or "error PSLM50" in l)
                         and "PSLM5001" not in l and "PSLM5002" not in l and "PSLM5009" not in l})
        row["timeouts"] = len({l.strip() for l in text.split("\n") if "warning PSLM5009" in l})
        if false_alarms:
            problems.append(f"false alarms: {sorted(false_alarms)}")
        if errors:
            problems.append(f"validation warnings/errors: {errors[:3]}")
        missing = [k for k in known if k not in reverted and k in parallel]
        row.update(parallelLoops=[f"{f}:{l}" for f, l in parallel], falseAlarms=len(false_alarms) + len(errors),
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
                   reverted={f"{f}:{reverted[(f, l)]['line']}": (reverted[(f, l)].get("evidence") or "")[:400] for f, l in sorted(reverted)},
                   alsoReverted=[f"{f}:{reverted[(f, l)]['line']}" for f, l in sorted(set(reverted) - exp_clean)])
    row["problems"] = problems
    print(f"{a.project}/{name}{'' if 'rep' not in scenario else ' #' + str(scenario['rep'])}: "
          f"{'OK' if not problems else 'FAILED'} {row['seconds']} s, {len(loops)} parallel loops, "
          f"{len(reverted)} reverted; {'; '.join(f'{k} {x}' for k, x in variants.items())}; final {row['final']}"
          + ("".join(f"\n  - {p}" for p in problems)), flush=True)
    return row


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("project")
    ap.add_argument("source", type=Path, nargs="?", help="the unpacked project (default: the spec's repoSource)")
    ap.add_argument("work", type=Path)
    ap.add_argument("--repeat", type=int, default=10, help="separate validating builds of the clean sources")
    ap.add_argument("--runs", type=int, default=3, help="runs per probe of a clean build (ParaSlmValidateRuns)")
    ap.add_argument("--inject-runs", type=int, default=3, help="runs per probe of an injected build")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    spec = json.loads(SPEC.read_text())["projects"][a.project]
    a.work.mkdir(parents=True, exist_ok=True)
    if a.source is None:
        a.source = REPO / spec["repoSource"]
    for f in spec.get("parentFiles", []):  # the files a sample finds one folder up (Directory.Build.*)
        shutil.copyfile(REPO / f, a.work / Path(f).name)
    env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1",
               NUGET_PACKAGES=str(a.work / "packages"))
    only = set(filter(None, a.only.split(",")))
    results_file = a.work / f"{a.project}.results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    known = {(k["file"], k["line"]): k["why"] for k in spec.get("knownRaces", [])}
    root = a.work / a.project
    failed = False
    for scenario in [{"name": "clean"}] + spec.get("injections", []):
        name = scenario["name"]
        if only and name not in only:
            continue
        shifts = sync_tree(a.source, root, scenario.get("edits", []))
        prepare(root)
        extra = list(spec.get("args", []))
        if scenario.get("assumePure"):
            extra.append("-p:ParaSlmAssumePure=" + "%3B".join(scenario["assumePure"]))
        runs = a.runs if name == "clean" else a.inject_runs
        rows = []
        for rep in range(1, (a.repeat if name == "clean" else 1) + 1):
            # Each build a whole validation: no engine state, no validation result or stamp, and an empty plan cache
            # of its own (validation records rejected loops there by content, which would make the next build skip
            # them). The CMake trees and their settings stay: only the files a probe changes are recompiled.
            reset_validation(root)
            env["XDG_CACHE_HOME"] = str(a.work / f"cache-{a.project}-{name}")
            shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
            before = hashes(root)
            log = a.work / f"{a.project}-{name}-{rep}.log"
            seconds = build(root, log, runs, extra, env)
            rows.append(check_build(a, spec, dict(scenario, rep=rep), root, shifts, log, results, known, before,
                                    seconds, runs))
            if name == "clean":
                results["clean"] = rows[0] | {"builds": rows}
            else:
                results[name] = rows[0]
            results_file.write_text(json.dumps(results, indent=1))
            failed |= bool(rows[-1]["problems"])
        if name == "clean":
            alarms = sum(r["falseAlarms"] for r in rows)
            equal = sum(1 for r in rows if r["final"].startswith("equal"))
            timeouts = sum(r.get("timeouts", 0) for r in rows)
            summary = (f"{len(rows)} validating builds ({runs} runs/probe): {alarms} false alarms, {timeouts} timeouts (PSLM5009), final program equal "
                       f"in {equal}/{len(rows)}; per build {min(r['seconds'] for r in rows)}-{max(r['seconds'] for r in rows)} s, "
                       f"{min(r['probes'] for r in rows)}-{max(r['probes'] for r in rows)} probes, "
                       f"{min(r['testRuns'] for r in rows)}-{max(r['testRuns'] for r in rows)} test runs")
            results["clean"]["summary"] = summary
            results_file.write_text(json.dumps(results, indent=1))
            print(f"{a.project}/clean: {summary}", flush=True)
    # Leave the tree as the clean sources (a later run starts from them).
    sync_tree(a.source, root, [])
    prepare(root)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
