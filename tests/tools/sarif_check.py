#!/usr/bin/env python3
"""sarif_check.py FACTS REPORT.sarif [--source-root DIR] [--results N]

Checks a `seamfuzz report --format sarif` file against the facts of the SARIF
2.1.0 schema in FACTS (tests/tools/sarif_facts.json: required and allowed
properties, types, enums, minimums, uniqueness), then what seamfuzz promises
on top (docs/tools.md, "report"):
  - every rule has an id, a name, a short description and help text;
  - every result's ruleId is one of the rules, its message is self-contained
    (it does not point at "the sanitizer report above");
  - every result has a physical location: a file:// URI of a file under
    --source-root (the user's source, not /rustc, Go's runtime or /tmp) with a
    start line that exists in that file;
  - with --results N, exactly N results.
Prints one line per problem and exits 1 if there is any, else prints a summary.
"""
import json
import os
import re
import sys
from urllib.parse import urlparse, unquote


def main():
    args = sys.argv[1:]
    root = None
    want = None
    if "--source-root" in args:
        i = args.index("--source-root")
        root = os.path.realpath(args[i + 1])
        del args[i:i + 2]
    if "--results" in args:
        i = args.index("--results")
        want = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        return 2
    facts = json.load(open(args[0]))
    try:
        log = json.load(open(args[1]))
    except (OSError, ValueError) as e:
        print(f"{args[1]}: not JSON: {e}")
        return 1
    errs = []
    objs = facts["objects"]

    def check_type(t, v, path):
        if t.startswith("array<"):
            m = re.match(r"array<(\w+)>(!unique|\+)?$", t)
            if not isinstance(v, list):
                errs.append(f"{path}: not an array")
                return
            if m.group(2) == "+" and not v:
                errs.append(f"{path}: must not be empty")
            if m.group(2) == "!unique":
                seen = [json.dumps(x, sort_keys=True) for x in v]
                if len(seen) != len(set(seen)):
                    errs.append(f"{path}: items must be unique")
            for k, x in enumerate(v):
                check_type(m.group(1), x, f"{path}[{k}]")
        elif t == "map<string>":
            if not isinstance(v, dict) or not all(isinstance(x, str) for x in v.values()):
                errs.append(f"{path}: not an object of strings")
        elif t.startswith("enum:"):
            if v not in t[5:].split("|"):
                errs.append(f"{path}: {v!r} is not one of {t[5:]}")
        elif t.startswith("integer"):
            if not isinstance(v, int) or isinstance(v, bool):
                errs.append(f"{path}: not an integer")
            elif ">=" in t and v < int(t.split(">=")[1]):
                errs.append(f"{path}: {v} is below the minimum {t.split('>=')[1]}")
        elif t == "string":
            if not isinstance(v, str):
                errs.append(f"{path}: not a string")
        elif t == "number":
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                errs.append(f"{path}: not a number")
        elif t == "boolean":
            if not isinstance(v, bool):
                errs.append(f"{path}: not a boolean")
        elif t == "object":
            if not isinstance(v, dict):
                errs.append(f"{path}: not an object")
        else:
            check_obj(t, v, path)

    def check_obj(name, v, path):
        d = objs[name]
        if not isinstance(v, dict):
            errs.append(f"{path}: not an object ({name})")
            return
        for r in d.get("required", []):
            if r not in v:
                errs.append(f"{path}: {name} lacks the required '{r}'")
        if "anyOf" in d and not any(all(r in v for r in alt) for alt in d["anyOf"]):
            errs.append(f"{path}: {name} needs one of {d['anyOf']}")
        for k, x in v.items():
            if k in d["props"]:
                check_type(d["props"][k], x, f"{path}.{k}")
            elif not d.get("open"):
                errs.append(f"{path}: {name} does not allow the property '{k}'")

    check_obj(facts["root"], log, "$")
    if errs:
        for e in errs:
            print("schema: " + e)
        return 1

    # What seamfuzz promises beyond the schema.
    n = 0
    for r_i, run in enumerate(log["runs"]):
        rules = run["tool"]["driver"].get("rules", [])
        ids = set()
        for k, rule in enumerate(rules):
            ids.add(rule["id"])
            for f in ("name", "shortDescription", "help"):
                if f not in rule:
                    errs.append(f"rule {rule['id']}: no {f}")
        for k, res in enumerate(run.get("results", [])):
            n += 1
            where = f"result {k} ({res.get('ruleId')}, {res.get('properties', {}).get('testcase')})"
            if res.get("ruleId") not in ids:
                errs.append(f"{where}: ruleId is not one of the rules")
            if "above" in res["message"].get("text", ""):
                errs.append(f"{where}: message points at text that is not in the SARIF file")
            locs = res.get("locations") or []
            pl = locs[0].get("physicalLocation") if locs else None
            if not pl or "artifactLocation" not in pl or "region" not in pl:
                errs.append(f"{where}: no physical location with a region")
                continue
            u = urlparse(pl["artifactLocation"].get("uri", ""))
            path = unquote(u.path)
            if u.scheme != "file":
                errs.append(f"{where}: location {pl['artifactLocation'].get('uri')} is not a file: URI")
                continue
            if root and not os.path.realpath(path).startswith(root + os.sep):
                errs.append(f"{where}: location {path} is not in the user's source ({root})")
                continue
            try:
                lines = open(path, errors="replace").read().count("\n")
            except OSError as e:
                errs.append(f"{where}: location {path}: {e.strerror}")
                continue
            if pl["region"].get("startLine", 0) > lines + 1:
                errs.append(f"{where}: line {pl['region']['startLine']} is past the end of {path}")
    if want is not None and n != want:
        errs.append(f"{n} results, expected {want}")
    for e in errs:
        print("seamfuzz: " + e)
    if errs:
        return 1
    print(f"sarif_check: {args[1]}: valid SARIF 2.1.0 (by the schema facts), {n} results, "
          f"each with a physical location in the user's source")
    return 0


if __name__ == "__main__":
    sys.exit(main())
