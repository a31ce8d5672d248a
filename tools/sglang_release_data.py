#!/usr/bin/python3
"""The per-release SGLang flag lists (data/reference/sglang-flags-by-version.json).

The shim emits only flags the installed SGLang knows (src/translate/sglang_release.h). Each
recorded release is the list SGLang's own parser builds, read by running it, never by grepping
(most flags are declared as dataclass fields since 2026-04). To record a new release:

1. Inside the SGLang image (or a checkout on PYTHONPATH), dump its parser:
       python3 tools/sglang_release_data.py dump > /tmp/flags.json
   (The script needs only the standard library and sglang; copy it into the image.)
2. Here, add it under a label, with the upstream commit and date it was read at:
       /usr/bin/python3 tools/sglang_release_data.py add v0.5.16 /tmp/flags.json \\
           --commit <sha> --date 2026-07-30T00:00:00+00:00 --subject "chore: bump v0.5.16"
3. Add the version's row to kVersionFloors in src/translate/sglang_release.cc, rebuild, and run
   `make test`: the sweep (src/translate/release_sweep_test.cc) translates every vLLM flag for
   the new release and names any flag the shim emits that it lacks; give such a flag a row in
   src/translate/release_gaps.cc.
"""
import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data", "reference", "sglang-flags-by-version.json")


def dump():
    # Imported only here: `add` runs without SGLang.
    from importlib import metadata

    from sglang.srt.server_args import ServerArgs

    parser = argparse.ArgumentParser()
    ServerArgs.add_cli_args(parser)
    flags = []
    for action in parser._actions:  # argparse has no public list of its actions
        names = [s for s in action.option_strings if s.startswith("--")]
        if not names or "--help" in names:
            continue
        nargs = action.nargs
        flags.append({
            "flag": names[0],
            "aliases": names[1:] + [s for s in action.option_strings if not s.startswith("--")],
            "takes_value": nargs != 0,
            "nargs": nargs,
            "choices": [c if isinstance(c, str) else json.dumps(c) for c in action.choices] if action.choices else None,
        })
    json.dump({"version": metadata.version("sglang"), "flags": flags}, sys.stdout, indent=1)
    sys.stdout.write("\n")


def add(data, label, dump_file, commit, date, subject):
    with open(dump_file) as f:
        dumped = json.load(f)
    with open(data) as f:
        releases = json.load(f)
    releases[label] = {"upstream_commit": commit, "commit_date": date, "subject": subject, "flags": dumped["flags"]}
    ordered = dict(sorted(releases.items(), key=lambda item: item[1]["commit_date"]))
    with open(data, "w") as f:
        json.dump(ordered, f, indent=0)
        f.write("\n")
    print(f"{label}: {len(dumped['flags'])} flags (package version {dumped.get('version', 'unknown')})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("dump", help="print the installed SGLang's flag list (run inside the image)")
    add_parser = sub.add_parser("add", help="record a dumped list under a label")
    add_parser.add_argument("label")
    add_parser.add_argument("dump_file")
    add_parser.add_argument("--commit", required=True, help="upstream commit the list was read at")
    add_parser.add_argument("--date", required=True, help="that commit's date, ISO 8601")
    add_parser.add_argument("--subject", default="", help="that commit's subject")
    add_parser.add_argument("--data", default=DATA, help="the list to add to (default: the repository's)")
    args = parser.parse_args()
    if args.command == "dump":
        dump()
    else:
        add(args.data, args.label, args.dump_file, args.commit, args.date, args.subject)


if __name__ == "__main__":
    main()
