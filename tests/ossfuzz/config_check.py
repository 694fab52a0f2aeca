#!/usr/bin/env python3
"""config_check.py SRC_ROOT - the OSS-Fuzz and ClusterFuzzLite files parse and
say what docs/ossfuzz.md says they do: project files, Dockerfiles, build
scripts and the four ClusterFuzzLite modes (code-change on pull requests,
batch on a schedule, prune and coverage in the cron workflow)."""
import os
import subprocess
import sys

import yaml

root = sys.argv[1]
errors = []


def check(cond, what):
    if not cond:
        errors.append(what)


def load(rel):
    path = os.path.join(root, rel)
    try:
        with open(path) as f:
            return yaml.safe_load(f)
    except (OSError, yaml.YAMLError) as e:
        errors.append(f"{rel}: {e}")
        return {}


proj = load("oss-fuzz/project.yaml")
check(proj.get("language") == "c", "oss-fuzz/project.yaml: language is not c")
check(set(proj.get("fuzzing_engines", [])) == {"libfuzzer", "afl"},
      "oss-fuzz/project.yaml: fuzzing_engines is not [libfuzzer, afl]")
check(set(proj.get("sanitizers", [])) == {"address", "undefined"},
      "oss-fuzz/project.yaml: sanitizers is not [address, undefined]")
check(proj.get("main_repo", "").startswith("https://"), "oss-fuzz/project.yaml: no main_repo")
check("primary_contact" in proj, "oss-fuzz/project.yaml: no primary_contact")
cfl = load(".clusterfuzzlite/project.yaml")
check(cfl.get("language") == "c", ".clusterfuzzlite/project.yaml: language is not c")

for d in ("oss-fuzz", ".clusterfuzzlite"):
    with open(os.path.join(root, d, "Dockerfile")) as f:
        lines = [l.strip() for l in f if l.strip() and not l.startswith("#")]
    check(lines and lines[0] == "FROM gcr.io/oss-fuzz-base/base-builder-rust",
          f"{d}/Dockerfile: does not start FROM the Rust base-builder")
    check(any(l.startswith("RUN install_go.sh") for l in lines), f"{d}/Dockerfile: Go is not installed")
    check(any(l.startswith("COPY") and "build.sh" in l for l in lines),
          f"{d}/Dockerfile: build.sh is not copied to $SRC")
    build = os.path.join(root, d, "build.sh")
    check(os.access(build, os.X_OK), f"{d}/build.sh is not executable")
    with open(build) as f:
        check("ci/build.sh" in f.read(), f"{d}/build.sh does not call ci/build.sh")
    r = subprocess.run(["bash", "-n", build], capture_output=True, text=True)
    check(r.returncode == 0, f"{d}/build.sh: {r.stderr.strip()}")


def steps(wf):
    for job in (wf.get("jobs") or {}).values():
        for st in job.get("steps", []):
            yield job, st


want = {"cflite_pr.yml": ("pull_request", {"code-change"}),
        "cflite_batch.yml": ("schedule", {"batch"}),
        "cflite_cron.yml": ("schedule", {"prune", "coverage"})}
for name, (trigger, modes) in want.items():
    wf = load(f".github/workflows/{name}")
    # YAML reads the key "on" as True.
    on = wf.get("on", wf.get(True, {})) or {}
    check(trigger in on, f"{name}: not triggered by {trigger}")
    seen = set()
    for job, st in steps(wf):
        uses = st.get("uses", "")
        w = st.get("with") or {}
        if "run_fuzzers" in uses:
            check(uses == "google/clusterfuzzlite/actions/run_fuzzers@v1", f"{name}: {uses}")
            seen.add(w.get("mode"))
            if w.get("mode") == "coverage":
                check(w.get("sanitizer") == "coverage", f"{name}: coverage mode without sanitizer: coverage")
                b = [s for s in job["steps"] if "build_fuzzers" in s.get("uses", "")]
                check(b and (b[0].get("with") or {}).get("sanitizer") == "coverage",
                      f"{name}: the coverage job does not build with sanitizer: coverage")
        elif "build_fuzzers" in uses:
            check(uses == "google/clusterfuzzlite/actions/build_fuzzers@v1", f"{name}: {uses}")
            check((st.get("with") or {}).get("language") == "c", f"{name}: build_fuzzers language is not c")
    check(seen == modes, f"{name}: modes {sorted(m for m in seen if m)} (want {sorted(modes)})")

if errors:
    for e in errors:
        print("FAIL:", e)
    sys.exit(1)
print("ok: oss-fuzz/, .clusterfuzzlite/ and the three ClusterFuzzLite workflows parse and agree")
