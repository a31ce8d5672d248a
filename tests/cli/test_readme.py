"""The README's translation table is the binary's own table (regenerate it with
scripts/update-readme-table.sh), so the documentation cannot drift from the code."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from harness import REPO, run_binary  # noqa: E402


def test_readme_translation_table_matches_the_code():
    r = run_binary("vllm-sglang-shim", ["flag-table"])
    assert r.returncode == 0, r.stderr
    readme = (REPO / "README.md").read_text()
    begin, end = "<!-- flag-table:begin -->\n", "<!-- flag-table:end -->"
    assert begin in readme and end in readme
    section = readme.split(begin, 1)[1].split(end, 1)[0]
    assert section == r.stdout, "README table is stale: run scripts/update-readme-table.sh"
    assert "| `--max-model-len` |" in section
