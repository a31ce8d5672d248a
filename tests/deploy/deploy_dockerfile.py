"""A small Dockerfile reader for the image checks: instructions with line
continuations joined, stages, and ARG/ENV substitution as BuildKit does it for
the forms these Dockerfiles use (${VAR}, $VAR, ${VAR:-word}, ${VAR:+word}).

Not a general parser: heredocs and parser directives other than `# syntax=` are
rejected, so a Dockerfile that grows past what this understands fails loudly.
"""

import json
import re
import shlex
from dataclasses import dataclass, field


@dataclass
class Instruction:
    keyword: str      # upper case, e.g. "RUN"
    text: str         # everything after the keyword, continuations joined
    line: int         # 1-based line of the keyword

    def exec_form(self):
        """The JSON array of CMD/ENTRYPOINT/RUN exec form, or None for shell form."""
        text = self.text.strip()
        if not text.startswith("["):
            return None
        return json.loads(text)


@dataclass
class Stage:
    base: str                  # FROM argument as written
    name: str                  # AS name ("" when unnamed)
    index: int
    instructions: list = field(default_factory=list)

    def all(self, keyword):
        return [i for i in self.instructions if i.keyword == keyword]


@dataclass
class Dockerfile:
    global_args: dict          # ARGs before the first FROM: name -> default (None when none)
    stages: list

    def stage(self, name):
        for s in self.stages:
            if s.name == name:
                return s
        raise KeyError(name)


def _logical_lines(text):
    lines = text.split("\n")
    out = []
    buf, start = [], None
    for number, raw in enumerate(lines, 1):
        stripped = raw.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and stripped.startswith("#"):
            continue  # comment lines inside a continued instruction are dropped, as Docker does
        if start is None:
            start = number
        if raw.rstrip().endswith("\\"):
            buf.append(raw.rstrip()[:-1])
            continue
        buf.append(raw)
        out.append((start, " ".join(part.strip() for part in buf)))
        buf, start = [], None
    if buf:
        raise ValueError("Dockerfile ends inside a line continuation")
    return out


def parse(text):
    global_args = {}
    stages = []
    for line, logical in _logical_lines(text):
        keyword, _, rest = logical.partition(" ")
        keyword = keyword.upper()
        if "<<" in rest and keyword in ("RUN", "COPY"):
            raise ValueError(f"line {line}: heredocs are not supported by this checker")
        instruction = Instruction(keyword, rest.strip(), line)
        if keyword == "FROM":
            words = rest.split()
            words = [w for w in words if not w.startswith("--platform=")]
            name = ""
            if len(words) == 3 and words[1].upper() == "AS":
                name = words[2]
            elif len(words) != 1:
                raise ValueError(f"line {line}: cannot read FROM {rest!r}")
            stages.append(Stage(words[0], name, len(stages)))
            continue
        if not stages:
            if keyword != "ARG":
                raise ValueError(f"line {line}: only ARG may come before FROM, found {keyword}")
            name, eq, default = rest.strip().partition("=")
            global_args[name] = _unquote(default) if eq else None
            continue
        stages[-1].instructions.append(instruction)
    return Dockerfile(global_args, stages)


def _unquote(value):
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def substitute(text, variables):
    """Expands ${VAR}, $VAR, ${VAR:-word}, ${VAR:+word} (word may hold further
    expansions, as BuildKit allows); unset names become ''."""
    out, _ = _expand(text, 0, variables, stop=None)
    return out


def _expand(text, i, variables, stop):
    out = []
    while i < len(text):
        c = text[i]
        if stop is not None and c == stop:
            return "".join(out), i
        if c == "\\" and i + 1 < len(text) and text[i + 1] == "$":
            out.append("$")
            i += 2
            continue
        if c != "$":
            out.append(c)
            i += 1
            continue
        if text.startswith("${", i):
            m = _NAME.match(text, i + 2)
            if not m:
                raise ValueError(f"bad variable reference at {text[i:]!r}")
            name, j = m.group(0), m.end()
            value = variables.get(name) or ""
            if text.startswith("}", j):
                out.append(value)
                i = j + 1
            elif text.startswith(":-", j) or text.startswith(":+", j):
                word, k = _expand(text, j + 2, variables, stop="}")
                if k >= len(text):
                    raise ValueError(f"unterminated ${{...}} in {text!r}")
                if text[j + 1] == "-":
                    out.append(value if value else word)
                else:
                    out.append(word if value else "")
                i = k + 1
            else:
                raise ValueError(f"unsupported modifier in {text[i:]!r}")
            continue
        m = _NAME.match(text, i + 1)
        if m:
            out.append(variables.get(m.group(0)) or "")
            i = m.end()
        else:
            out.append("$")
            i += 1
    if stop is not None:
        return "".join(out), len(text)
    return "".join(out), i


def parse_env(text):
    """ENV key=value pairs (the legacy `ENV key value` form too), quotes removed."""
    words = shlex.split(text, posix=True)
    if words and "=" not in words[0]:
        return {words[0]: " ".join(words[1:])}
    pairs = {}
    for word in words:
        key, eq, value = word.partition("=")
        if not eq:
            raise ValueError(f"cannot read ENV word {word!r}")
        pairs[key] = value
    return pairs


def parse_label(text):
    return parse_env(text)


def copy_from(instruction):
    """(from_stage, [sources], destination) of a COPY --from=..., else None."""
    words = shlex.split(instruction.text)
    options = [w for w in words if w.startswith("--")]
    paths = [w for w in words if not w.startswith("--")]
    stage = None
    for option in options:
        if option.startswith("--from="):
            stage = option.split("=", 1)[1]
    if stage is None:
        return None
    return stage, paths[:-1], paths[-1]
