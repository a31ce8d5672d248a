"""SGLang's command line, rebuilt with Python's argparse from data/reference/sglang-flags.json.

`parse_sglang_argv(argv)` accepts exactly what `python -m sglang.launch_server` accepts at the
recorded SGLang version (python/sglang/srt/server_args.py, prepare_server_args: parse_args, so
unknown flags are fatal), except that abbreviations are refused: the shim must emit exact names.
It raises SglangArgvError with argparse's message otherwise.
"""

import argparse
import json
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "reference"


class SglangArgvError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise SglangArgvError(message)


def sglang_flags():
    return json.loads((DATA / "sglang-flags.json").read_text())


def _build_parser():
    parser = _Parser(prog="sglang serve", allow_abbrev=False, add_help=False)
    for f in sglang_flags():
        names = [f["flag"]] + list(f.get("aliases") or [])
        kwargs = {"dest": f["dest"] + "__" + f["flag"]}  # each spelling counted separately
        semantics = f["action_semantics"]
        if semantics in ("store_true", "store_const", "noop_flag") or f.get("nargs") == 0:
            kwargs["action"] = "store_true"
        elif semantics == "boolean_optional":
            kwargs["action"] = argparse.BooleanOptionalAction
            names = [f["flag"]]
        else:
            if f.get("nargs") not in (None, 0):
                kwargs["nargs"] = f["nargs"]
            if f.get("choices"):
                kwargs["choices"] = [str(c) for c in f["choices"]]
        parser.add_argument(*names, **kwargs)
    return parser


_PARSER = None


def parse_sglang_argv(argv):
    global _PARSER
    if _PARSER is None:
        _PARSER = _build_parser()
    namespace = _PARSER.parse_args(argv)
    if "--model-path" not in argv and "--model" not in argv:
        raise SglangArgvError("the following arguments are required: --model-path")
    return namespace


def flag_value(argv, flag):
    """The word after `flag` in argv (None when absent)."""
    for i, word in enumerate(argv):
        if word == flag and i + 1 < len(argv):
            return argv[i + 1]
    return None


def flag_values(argv, flag):
    """All words after `flag` up to the next flag."""
    out = []
    for i, word in enumerate(argv):
        if word == flag:
            for w in argv[i + 1:]:
                if w.startswith("--"):
                    break
                out.append(w)
    return out
