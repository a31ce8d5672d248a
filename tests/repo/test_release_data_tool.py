"""tools/sglang_release_data.py: `dump` runs SGLang's own parser (here a small sglang package
with the same entry point, ServerArgs.add_cli_args in sglang/srt/server_args.py) and `add`
records the list in the shape data/reference/sglang-flags-by-version.json has."""

import json
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOOL = REPO / "tools" / "sglang_release_data.py"

SERVER_ARGS = '''
class ServerArgs:
    @staticmethod
    def add_cli_args(parser):
        parser.add_argument("--model-path", "--model", type=str)
        parser.add_argument("--tool-call-parser", choices=["qwen25", "llama3"])
        parser.add_argument("--enable-metrics", action="store_true")
        parser.add_argument("--lora-paths", nargs="*")
        parser.add_argument("--tp-size", "--tensor-parallel-size", type=int, default=1)
'''


def test_dump_then_add_records_a_release(tmp_path):
    site = tmp_path / "site"
    (site / "sglang" / "srt").mkdir(parents=True)
    (site / "sglang" / "__init__.py").write_text("")
    (site / "sglang" / "srt" / "__init__.py").write_text("")
    (site / "sglang" / "srt" / "server_args.py").write_text(SERVER_ARGS)
    (site / "sglang-0.5.99.dist-info").mkdir()
    (site / "sglang-0.5.99.dist-info" / "METADATA").write_text("Metadata-Version: 2.1\nName: sglang\nVersion: 0.5.99\n")
    out = subprocess.run(["/usr/bin/python3", str(TOOL), "dump"], env={"PYTHONPATH": str(site)}, capture_output=True,
                         text=True, check=True)
    dumped = json.loads(out.stdout)
    assert dumped["version"] == "0.5.99"
    assert dumped["flags"] == [
        {"flag": "--model-path", "aliases": ["--model"], "takes_value": True, "nargs": None, "choices": None},
        {"flag": "--tool-call-parser", "aliases": [], "takes_value": True, "nargs": None, "choices": ["qwen25", "llama3"]},
        {"flag": "--enable-metrics", "aliases": [], "takes_value": False, "nargs": 0, "choices": None},
        {"flag": "--lora-paths", "aliases": [], "takes_value": True, "nargs": "*", "choices": None},
        {"flag": "--tp-size", "aliases": ["--tensor-parallel-size"], "takes_value": True, "nargs": None,
         "choices": None},
    ]
    # The recorded lists use the same keys for the same kinds of flags.
    recorded = json.loads((REPO / "data" / "reference" / "sglang-flags-by-version.json").read_text())
    oldest = {f["flag"]: f for f in recorded["v0.5.2"]["flags"]}
    assert oldest["--enable-metrics"] == {**dumped["flags"][2]}
    assert oldest["--model-path"] == dumped["flags"][0]

    dump_file = tmp_path / "dump.json"
    dump_file.write_text(out.stdout)
    data = tmp_path / "by-version.json"
    shutil.copy(REPO / "data" / "reference" / "sglang-flags-by-version.json", data)
    subprocess.run(["/usr/bin/python3", str(TOOL), "add", "v0.5.1-test", str(dump_file), "--commit", "0" * 40,
                    "--date", "2025-01-01T00:00:00+00:00", "--data", str(data)], check=True, capture_output=True)
    releases = json.loads(data.read_text())
    assert list(releases)[0] == "v0.5.1-test"  # ordered by commit date
    assert list(releases)[1:] == list(recorded)
    assert releases["v0.5.1-test"]["flags"] == dumped["flags"]
    assert releases["v0.5.2"] == recorded["v0.5.2"]
