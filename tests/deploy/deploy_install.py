"""Shared by the install and Dockerfile tests: one `cmake --install` of the build
under test into a temporary prefix, and the paths the images use."""

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN_DIR = Path(os.environ.get("SHIM_BIN_DIR", REPO / "build" / "bin")).resolve()
BUILD_DIR = Path(os.environ.get("SHIM_BUILD_DIR", BIN_DIR.parent)).resolve()

# Where the images put the tree (docker/Dockerfile*, cmake/Install.cmake default).
IMAGE_PREFIX = "/opt/vllm-sglang-shim"
PYTHON_DIR = "lib/python"
DOC_DIR = "share/doc/vllm-sglang-shim"


def install_tree(prefix):
    """Runs `cmake --install` of the build under test into prefix; returns its output."""
    assert (BUILD_DIR / "CMakeCache.txt").exists(), f"{BUILD_DIR} is not a CMake build directory"
    proc = subprocess.run(["cmake", "--install", str(BUILD_DIR), "--prefix", str(prefix)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"cmake --install failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def map_image_path(image_path, prefix):
    """/opt/vllm-sglang-shim/... in an image -> the same file under a test prefix."""
    image_path = str(image_path)
    assert image_path == IMAGE_PREFIX or image_path.startswith(IMAGE_PREFIX + "/"), image_path
    return Path(str(prefix) + image_path[len(IMAGE_PREFIX):])
