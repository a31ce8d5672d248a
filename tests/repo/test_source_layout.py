"""Checks on the shape of the source tree that keep it easy to change.

- A folder under src/ that includes another folder's headers declares that
  folder's library in its CMakeLists.txt, so the build graph says what the code
  does (a missing edge links today only by luck of transitive dependencies).
- No source file grows past about 500 lines, except data tables.
"""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[2]
SRC = ROOT / "src"

# Data tables: one row per flag or metric, long by nature.
LONG_DATA_TABLES = {"src/translate/flag_table.cc"}
MAX_LINES = 500

INCLUDE = re.compile(r'^#include "([a-z_]+)/', re.M)


def component_dirs():
    return sorted(d for d in SRC.iterdir() if (d / "CMakeLists.txt").exists())


def declared_links(folder):
    """Every target named as a dependency anywhere in the folder's CMakeLists.txt."""
    text = (folder / "CMakeLists.txt").read_text()
    text = re.sub(r"#.*", "", text)
    names = set()
    for call in re.finditer(r"(?:LIBS|PRIVATE|PUBLIC|INTERFACE)\s+([^)]*)\)", text):
        names.update(re.findall(r"\bshim_[a-z_]+\b", call.group(1)))
    return names


def production_sources(folder):
    for path in sorted(folder.iterdir()):
        if path.suffix in (".cc", ".h") and not path.stem.endswith(("_test", "_bench")):
            yield path


def missing_edges(folder, src=SRC):
    """Cross-folder includes of `folder` whose library its CMakeLists.txt does not link."""
    links = declared_links(folder)
    for path in production_sources(folder):
        for other in sorted(set(INCLUDE.findall(path.read_text()))):
            if other != folder.name and (src / other).is_dir() and "shim_" + other not in links:
                yield f"{path.name} includes {other}/ but {folder.name}/CMakeLists.txt does not link shim_{other}"


def test_every_cross_folder_include_is_a_declared_dependency():
    missing = [edge for folder in component_dirs() for edge in missing_edges(folder)]
    assert not missing, "\n".join(missing)


def test_the_check_sees_a_missing_edge(tmp_path):
    # The check itself must be able to fail: a folder that includes another's
    # header without naming its library is reported.
    src = tmp_path / "src"
    for name in ("widgets", "common", "frontdoor"):
        (src / name).mkdir(parents=True)
    (src / "widgets" / "CMakeLists.txt").write_text("shim_library(shim_widgets LIBS shim_common)\n")
    (src / "widgets" / "w.cc").write_text('#include "common/log.h"\n#include "frontdoor/route.h"\n')
    assert list(missing_edges(src / "widgets", src)) == [
        "w.cc includes frontdoor/ but widgets/CMakeLists.txt does not link shim_frontdoor"]


def test_source_files_stay_short():
    long_files = []
    for pattern in ("src/**/*.cc", "src/**/*.h", "fuzz/*.cc", "bench/**/*.cc", "bench/**/*.h"):
        for path in ROOT.glob(pattern):
            rel = str(path.relative_to(ROOT))
            if rel in LONG_DATA_TABLES:
                continue
            lines = path.read_text().count("\n")
            if lines > MAX_LINES:
                long_files.append(f"{rel}: {lines} lines")
    assert not long_files, "split these files (one idea per file):\n" + "\n".join(long_files)
