"""docker/Dockerfile (CUDA) and docker/Dockerfile.rocm, checked without a Docker
engine: their stages and paths against a real `cmake --install` tree, their
environment against the production stack's entry points, the version guard by
running it, and hadolint-style rules (Debian 12 packages no hadolint, so its rules
that matter here are written out below with their DL numbers)."""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

import deploy_dockerfile as dockerfile
from deploy_install import DOC_DIR, IMAGE_PREFIX, PYTHON_DIR, REPO, install_tree, map_image_path

VERSION = (REPO / "VERSION").read_text().strip()
DOCKERFILES = {"cuda": REPO / "docker" / "Dockerfile", "rocm": REPO / "docker" / "Dockerfile.rocm"}
# The environment SGLang's ROCm image sets (SGLang @8905cbd4
# docker/rocm.Dockerfile; docs/deploy.md §10); the shim image must inherit it untouched.
ROCM_BASE_ENV = ("SGLANG_DISABLE_CUDNN_CHECK", "HIP_FORCE_DEV_KERNARG", "HSA_NO_SCRATCH_RECLAIM",
                 "SGLANG_ALLOW_OVERWRITE_LONGER_CONTEXT_LEN", "SGLANG_INT4_WEIGHT", "SGLANG_MOE_PADDING",
                 "SGLANG_ROCM_DISABLE_LINEARQUANT", "SGLANG_ROCM_FUSED_DECODE_MLA", "SGLANG_SET_CPU_AFFINITY",
                 "SGLANG_USE_AITER", "SGLANG_USE_ROCM700A", "NCCL_MIN_NCHANNELS", "ROCM_QUICK_REDUCE_QUANTIZATION",
                 "TORCHINDUCTOR_MAX_AUTOTUNE", "TORCHINDUCTOR_MAX_AUTOTUNE_POINTWISE", "AITER_USE_SYSTEM_TRITON",
                 "PYTORCH_ROCM_ARCH")


def load(kind):
    return dockerfile.parse(DOCKERFILES[kind].read_text())


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    root = tmp_path_factory.mktemp("image") / "opt" / "vllm-sglang-shim"
    install_tree(root)
    return root


def runtime_env(stage, base_env, args):
    """The environment after the stage's ENV lines, starting from the base image's."""
    env = dict(base_env)
    for instruction in stage.all("ENV"):
        pairs = dockerfile.parse_env(instruction.text)
        expanded = {k: dockerfile.substitute(v, {**args, **env}) for k, v in pairs.items()}
        env.update(expanded)
    return env


# --- structure ------------------------------------------------------------------------

@pytest.mark.parametrize("kind", DOCKERFILES)
def test_two_stages_build_then_official_sglang_image(kind):
    df = load(kind)
    assert [s.name for s in df.stages] == ["build", "runtime"]
    args = df.global_args
    assert args["SGLANG_IMAGE"] == "lmsysorg/sglang"
    tag = args["SGLANG_TAG"]
    if kind == "cuda":
        assert re.fullmatch(r"v\d+\.\d+\.\d+(\.post\d+)?(-cu1[23]\d)?", tag), tag
    else:
        assert re.fullmatch(r"v\d+\.\d+\.\d+(\.post\d+)?-rocm\d{3}-mi3[05]x", tag), tag
        # SGLang's ROCm images are Ubuntu 22.04: the build stage must be too.
        assert args["BUILD_OS_IMAGE"] == "ubuntu:22.04"
    assert dockerfile.substitute(df.stage("runtime").base, args) == f"lmsysorg/sglang:{tag}"
    build_base = dockerfile.substitute(df.stage("build").base, args)
    assert re.fullmatch(r"(ubuntu|debian):[0-9.]+", build_base), build_base


@pytest.mark.parametrize("kind", DOCKERFILES)
def test_every_base_is_pinned_never_latest(kind):
    # hadolint DL3006 (tag the image) and DL3007 (no `latest`).
    df = load(kind)
    for stage in df.stages:
        image = dockerfile.substitute(stage.base, df.global_args)
        assert ":" in image.rsplit("/", 1)[-1], f"{image} has no tag"
        assert "latest" not in image.split(":")[-1], image


def test_cuda_and_rocm_pin_the_same_sglang_release():
    cuda = load("cuda").global_args["SGLANG_TAG"]
    rocm = load("rocm").global_args["SGLANG_TAG"]
    assert rocm.startswith(cuda.split("-cu")[0] + "-rocm"), (cuda, rocm)


# --- the installed tree -----------------------------------------------------------------

@pytest.mark.parametrize("kind", DOCKERFILES)
def test_build_stage_installs_the_tree_the_runtime_copies(kind, prefix):
    df = load(kind)
    build = df.stage("build")
    runs = " ".join(i.text for i in build.all("RUN"))
    assert f"-DCMAKE_INSTALL_PREFIX={IMAGE_PREFIX}" in runs and "cmake --install /build" in runs
    assert "--target vllm-sglang-shim" in runs  # not the stand-in engine or tests
    assert "-DSHIM_TESTS=OFF" in runs and "-DSHIM_BENCH=OFF" in runs
    # cmake/Install.cmake's own default is the same prefix.
    assert f'CMAKE_INSTALL_PREFIX "{IMAGE_PREFIX}"' in (REPO / "cmake" / "Install.cmake").read_text()
    copies = [dockerfile.copy_from(i) for i in df.stage("runtime").all("COPY")]
    copies = [c for c in copies if c]
    assert ("build", [IMAGE_PREFIX], IMAGE_PREFIX) in copies
    for stage_name, sources, _ in copies:
        assert stage_name == "build"
        for source in sources:
            if source.startswith(IMAGE_PREFIX):
                assert map_image_path(source, prefix).exists(), source
            else:
                assert source == "/etc/os-release", source


@pytest.mark.parametrize("kind", DOCKERFILES)
def test_vllm_resolves_to_the_shim_first_on_path_and_pythonpath(kind, prefix):
    df = load(kind)
    runtime = df.stage("runtime")
    base = {"PATH": "/usr/local/nvidia/bin:/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": "/sgl-workspace/extra"}
    env = runtime_env(runtime, base, df.global_args)
    path = env["PATH"].split(":")
    assert path[0] == f"{IMAGE_PREFIX}/bin" and path[1:] == base["PATH"].split(":"), env["PATH"]
    assert map_image_path(path[0], prefix).joinpath("vllm").exists()
    pythonpath = env["PYTHONPATH"].split(":")
    assert pythonpath == [f"{IMAGE_PREFIX}/{PYTHON_DIR}", "/sgl-workspace/extra"], env["PYTHONPATH"]
    assert map_image_path(pythonpath[0], prefix).joinpath("vllm", "entrypoints", "openai", "api_server.py").exists()
    # Without a PYTHONPATH in the base image there must be no empty entry (it would
    # put the working directory on sys.path).
    env = runtime_env(runtime, {"PATH": "/usr/bin"}, df.global_args)
    assert env["PYTHONPATH"] == f"{IMAGE_PREFIX}/{PYTHON_DIR}"

    text = " ".join(i.text for i in runtime.all("RUN"))
    assert f"ln -sfn {IMAGE_PREFIX}/bin/vllm-sglang-shim /opt/venv/bin/vllm" in text
    assert map_image_path(f"{IMAGE_PREFIX}/bin/vllm-sglang-shim", prefix).is_file()
    # The image proves it at build time: PATH lookup, both paths' --version, the package.
    assert f'test "$(command -v vllm)" = {IMAGE_PREFIX}/bin/vllm' in text
    assert "/opt/venv/bin/vllm --version" in text
    assert f"startswith('{IMAGE_PREFIX}/{PYTHON_DIR}/')" in text
    entrypoint = runtime.all("ENTRYPOINT")[-1].exec_form()
    assert entrypoint == [f"{IMAGE_PREFIX}/bin/vllm-sglang-shim"]


def test_rocm_image_keeps_the_base_rocm_environment():
    df = load("rocm")
    for stage in df.stages:
        for instruction in stage.all("ENV"):
            touched = set(dockerfile.parse_env(instruction.text)) & set(ROCM_BASE_ENV)
            assert not touched, f"line {instruction.line} overrides the base image's {touched}"
    base = {name: "base-value" for name in ROCM_BASE_ENV}
    base["PATH"] = "/opt/rocm/bin:/usr/bin"
    env = runtime_env(df.stage("runtime"), base, df.global_args)
    for name in ROCM_BASE_ENV:
        assert env[name] == "base-value"
    assert env["PATH"].endswith(":/opt/rocm/bin:/usr/bin")


def test_users_cuda_non_root_rocm_root_with_reason():
    cuda = load("cuda").stage("runtime")
    user = cuda.all("USER")[-1].text
    assert user.split(":")[0] not in ("root", "0"), user
    uid = user.split(":")[0]
    assert f"useradd --uid {uid}" in " ".join(i.text for i in cuda.all("RUN"))
    assert any(i.text.startswith("HOME=") for i in cuda.all("ENV")), "caches need a writable HOME"
    text = DOCKERFILES["rocm"].read_text()
    assert load("rocm").stage("runtime").all("USER")[-1].text == "root"
    assert "AITER" in text.split("USER root")[0].rsplit("\n\n", 1)[-1], "say why the ROCm image stays root"
    # The values file's fsGroup matches the CUDA image's group.
    values = (REPO / "deploy" / "production-stack" / "values-shim.yaml").read_text()
    assert f"fsGroup: {user.split(':')[1]}" in values


# --- version: one number, from VERSION ----------------------------------------------------

@pytest.mark.parametrize("kind", DOCKERFILES)
def test_labels_carry_the_version_and_license(kind):
    runtime = load(kind).stage("runtime")
    labels = {}
    for instruction in runtime.all("LABEL"):
        labels.update(dockerfile.parse_label(instruction.text))
    assert labels["org.opencontainers.image.version"] == "${SHIM_VERSION}"
    assert labels["org.opencontainers.image.licenses"] == "Apache-2.0"
    assert labels["org.opencontainers.image.base.name"] == "${SGLANG_IMAGE}:${SGLANG_TAG}"
    assert "Apache License" in (REPO / "LICENSE").read_text() and "Version 2.0" in (REPO / "LICENSE").read_text()
    assert any(i.text == "SHIM_VERSION" for i in runtime.all("ARG"))


@pytest.mark.parametrize("kind", DOCKERFILES)
def test_version_guard_rejects_a_build_argument_that_differs_from_version(kind, tmp_path):
    build = load(kind).stage("build")
    guard = [i for i in build.all("RUN") if "$(cat VERSION)" in i.text]
    assert len(guard) == 1
    (tmp_path / "VERSION").write_text(VERSION + "\n")

    def run(value):
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        if value is not None:
            env["SHIM_VERSION"] = value
        return subprocess.run(["/bin/sh", "-c", guard[0].text], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=10)

    assert run(VERSION).returncode == 0
    for wrong in (None, "", "0.0.0-drift", VERSION + "x"):
        proc = run(wrong)
        assert proc.returncode != 0 and "must equal VERSION" in proc.stderr, (wrong, proc.stderr)


@pytest.mark.parametrize("rocm", [False, True])
def test_build_script_tags_the_image_with_version(rocm):
    args = ["bash", str(REPO / "docker" / "build-image.sh"), "--print", "--registry", "registry.example/team"]
    if rocm:
        args.append("--rocm")
    proc = subprocess.run(args + ["--push"], capture_output=True, text=True, timeout=10)
    assert proc.returncode == 0, proc.stderr
    build_line, push_line = proc.stdout.strip().splitlines()
    words = shlex.split(build_line)
    kind = "rocm" if rocm else "cuda"
    tag = load(kind).global_args["SGLANG_TAG"]
    image = f"registry.example/team/vllm-sglang-shim:{VERSION}-sglang-{tag}"
    assert words[:4] == ["docker", "build", "-f", str(DOCKERFILES[kind].relative_to(REPO))]
    assert f"SHIM_VERSION={VERSION}" in words and f"SGLANG_TAG={tag}" in words
    assert words[words.index("-t") + 1] == image and words[-1] == "."
    assert shlex.split(push_line) == ["docker", "push", image]
    # The image tag used in the shipped values is this one.
    values = (REPO / "deploy" / "production-stack" / "values-shim.yaml").read_text()
    if not rocm:
        assert f'tag: "{VERSION}-sglang-{tag}"' in values


def test_build_script_refuses_latest_and_unknown_arguments():
    script = str(REPO / "docker" / "build-image.sh")
    latest = subprocess.run(["bash", script, "--print", "--sglang-tag", "latest"], capture_output=True, text=True,
                            timeout=10)
    assert latest.returncode != 0 and "pin a release tag" in latest.stderr
    unknown = subprocess.run(["bash", script, "--frobnicate"], capture_output=True, text=True, timeout=10)
    assert unknown.returncode == 2 and "unknown argument" in unknown.stderr


# --- hadolint-style rules ---------------------------------------------------------------

@pytest.mark.parametrize("kind", DOCKERFILES)
def test_apt_and_shell_rules(kind):
    df = load(kind)
    for stage in df.stages:
        for run in stage.all("RUN"):
            text = run.text
            where = f"{kind} line {run.line}"
            assert not re.search(r"(^|[;&|]\s*)apt\s", text), f"{where}: use apt-get (DL3027)"
            assert "sudo " not in text, f"{where}: no sudo (DL3004)"
            assert not re.search(r"(^|[;&|]\s*)cd\s", text), f"{where}: use WORKDIR (DL3003)"
            if "apt-get install" in text:
                assert "--no-install-recommends" in text, f"{where}: DL3015"
                assert re.search(r"apt-get install[^;&|]*\s-y\b", text), f"{where}: -y (DL3014)"
                assert text.index("apt-get update") < text.index("apt-get install"), f"{where}: update first"
                assert text.rstrip().endswith("rm -rf /var/lib/apt/lists/*"), f"{where}: clean lists (DL3009)"
            assert "curl " not in text and "wget " not in text, f"{where}: nothing fetched outside apt"
        for keyword in ("CMD", "ENTRYPOINT"):
            for instruction in stage.all(keyword):
                assert instruction.exec_form() is not None, f"{kind} line {instruction.line}: JSON form (DL3025)"
        for instruction in stage.all("COPY") + stage.all("ADD"):
            assert instruction.keyword == "COPY", "COPY, not ADD (DL3020)"
        assert len(stage.all("CMD")) <= 1 and len(stage.all("ENTRYPOINT")) <= 1, "DL4003/DL4004"
    runtime = df.stage("runtime")
    assert runtime.all("EXPOSE") and runtime.all("EXPOSE")[0].text == "8000"


# --- build context ------------------------------------------------------------------------

def dockerignore_rules():
    rules = []
    for line in (REPO / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        rules.append((negate, line.lstrip("!").strip("/")))
    return rules


def _glob_regex(pattern):
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out + r"\Z")


def in_context(path, rules):
    """Docker's rule: the last pattern matching the path or one of its parents decides."""
    parts = path.split("/")
    prefixes = ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]
    included = True
    for negate, pattern in rules:
        regex = _glob_regex(pattern)
        if any(regex.match(p) for p in prefixes):
            included = negate
    return included


def context_files():
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, text=True, timeout=30)
    assert listed.returncode == 0, listed.stderr
    rules = dockerignore_rules()
    return [p for p in listed.stdout.splitlines() if in_context(p, rules) and (REPO / p).exists()]


def test_build_context_is_what_the_build_needs_and_nothing_else():
    files = set(context_files())
    for needed in ("CMakeLists.txt", "VERSION", "LICENSE", "README.md", "CHANGELOG.md", "cmake/Install.cmake",
                   "python/vllm/__init__.py", "docs/deploy.md", "deploy/production-stack/values-shim.yaml",
                   "src/app/main.cc"):
        assert needed in files, f"{needed} is missing from the image build context"
    assert not [f for f in files if f.startswith(("build", "tests/", ".git/", "bench/", "fuzz/"))]
    assert not [f for f in files if "__pycache__" in f]


def test_build_context_alone_configures(tmp_path):
    # What `COPY . /src` sees, configured as the Dockerfile's build stage does.
    # SHIM_DEPLOY_IMAGE_BUILD=1 also compiles and installs it (minutes).
    context = tmp_path / "src"
    for rel in context_files():
        target = context / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    build = tmp_path / "build"
    configure = subprocess.run(["cmake", "-S", str(context), "-B", str(build), "-G", "Ninja",
                                "-DCMAKE_BUILD_TYPE=Release", "-DSHIM_TESTS=OFF", "-DSHIM_BENCH=OFF",
                                f"-DCMAKE_INSTALL_PREFIX={tmp_path / 'opt'}"],
                               capture_output=True, text=True, timeout=300)
    assert configure.returncode == 0, configure.stdout + configure.stderr
    if os.environ.get("SHIM_DEPLOY_IMAGE_BUILD") != "1":
        return
    steps = [["cmake", "--build", str(build), "--target", "vllm-sglang-shim", "-j2"],
             ["cmake", "--install", str(build)],
             [str(tmp_path / "opt" / "bin" / "vllm-sglang-shim"), "--version"]]
    for step in steps:
        proc = subprocess.run(step, capture_output=True, text=True, timeout=1800)
        assert proc.returncode == 0, f"{step}:\n{proc.stdout}\n{proc.stderr}"
    assert VERSION in proc.stdout
    assert (tmp_path / "opt" / DOC_DIR / "LICENSE").is_file()
