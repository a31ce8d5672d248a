"""The official OpenAI Node SDK (npm `openai`) against the real `vllm serve` in front of the stand-in.

The SDK comes from tests/sdk/package-lock.json; scripts/install-deps.sh runs `npm ci --prefix tests/sdk`.
openai_sdk_check.mjs holds the checks: chat, streaming chat, completions, a tool call, and a rejected field
surfacing as the SDK's typed BadRequestError (which needs vLLM's error shape).
openai 5.x has no dependencies and needs only global fetch (Node 18, Debian 12's nodejs, is enough; its Node 20
requirement is for file uploads, internal/uploads.js checkFileSupport, which only the named audioTranscription check
uses: its test runs on Node 20 or newer, and is skipped on Node 18). audioChat sends an input_audio chat part.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from harness import SLOW

SDK_DIR = Path(__file__).resolve().parent
CHECK = SDK_DIR / "openai_sdk_check.mjs"
MODEL = "Qwen/Qwen2.5-0.5B-Instruct"
SERVED = "qwen-small"
API_KEY = "sdk-test-key"


def sdk_ready():
    return shutil.which("node") is not None and (SDK_DIR / "node_modules" / "openai" / "package.json").is_file()


@pytest.fixture
def sdk_shim(shim_factory):
    if not sdk_ready():
        # Not a skip: a machine without the SDK must fail loudly, with the fix.
        pytest.fail("node or tests/sdk/node_modules/openai missing: run scripts/install-deps.sh")
    return shim_factory(args=["--served-model-name", SERVED, "--api-key", API_KEY,
                              "--enable-auto-tool-choice", "--tool-call-parser", "hermes"])


def run_check(shim, *names):
    env = dict(os.environ, SHIM_URL=shim.url, SHIM_MODEL=SERVED, SHIM_API_KEY=API_KEY,
               SHIM_TIMEOUT_MS=str(int(20000 * SLOW)))
    proc = subprocess.run(["node", str(CHECK), *names], cwd=SDK_DIR, env=env, capture_output=True, text=True,
                          timeout=60 * SLOW)
    assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}\nshim log:\n{shim.logs()[-4000:]}"
    return proc.stdout.split()


def test_openai_node_sdk_chat_stream_completions_tools_errors(sdk_shim):
    out = run_check(sdk_shim)
    for name in ("chat", "streamingChat", "completions", "toolCall", "errorShape"):
        assert name in out, out


def test_sdk_check_fails_against_a_wrong_model_name(sdk_shim):
    # The check script must be able to fail: an unknown model is a 404 from the shim.
    env = dict(os.environ, SHIM_URL=sdk_shim.url, SHIM_MODEL="no-such-model", SHIM_API_KEY=API_KEY)
    proc = subprocess.run(["node", str(CHECK), "chat"], cwd=SDK_DIR, env=env, capture_output=True, text=True,
                          timeout=60 * SLOW)
    assert proc.returncode != 0
    assert "FAIL chat" in proc.stderr


def test_openai_node_sdk_reads_vllm_reasoning_field(shim_factory):
    if not sdk_ready():
        pytest.fail("node or tests/sdk/node_modules/openai missing: run scripts/install-deps.sh")
    shim = shim_factory(args=["--served-model-name", SERVED, "--api-key", API_KEY, "--reasoning-parser", "qwen3"])
    out = run_check(shim, "reasoningChat", "reasoningStream")
    assert out.count("ok") == 2, out


def test_openai_node_sdk_embeddings_base64_by_default_and_float(shim_factory):
    # A pooling model: /v1/embeddings answers in vLLM's shape, base64 encoded by the front door.
    if not sdk_ready():
        pytest.fail("node or tests/sdk/node_modules/openai missing: run scripts/install-deps.sh")
    shim = shim_factory(args=["--served-model-name", SERVED, "--api-key", API_KEY, "--convert", "embed"])
    out = run_check(shim, "embeddings")
    assert out == ["ok", "embeddings"], out


def test_openai_node_sdk_input_audio_chat(sdk_shim):
    # OpenAI's input_audio part, sent by the SDK, reaches SGLang as its audio_url part.
    out = run_check(sdk_shim, "audioChat")
    assert out == ["ok", "audioChat"], out


def node_major():
    out = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return int(out.lstrip("v").split(".")[0]) if out.startswith("v") else 0


def test_openai_node_sdk_transcription_upload(sdk_shim):
    # The SDK's multipart upload of a WAV file to /v1/audio/transcriptions (relayed to SGLang's route).
    # openai 5.x uploads need Node 20's global File (internal/uploads.js checkFileSupport); Debian 12's
    # Node 18 cannot run this check at all, which says nothing about the shim.
    if node_major() < 20:
        pytest.skip("the OpenAI SDK's file uploads need Node 20 or newer")
    out = run_check(sdk_shim, "audioTranscription")
    assert out == ["ok", "audioTranscription"], out


def test_openai_node_sdk_responses_with_a_json_schema(sdk_shim):
    # Whole and streamed; retrieve; vLLM's usage names (the Vercel AI SDK refuses a response without them).
    out = run_check(sdk_shim, "responses", "responsesStream")
    assert out == ["ok", "responses", "ok", "responsesStream"], out
