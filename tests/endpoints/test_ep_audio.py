"""Audio through the shim (issue 14 item 4).

- Chat `input_audio` parts (vLLM @9aaf83ef vllm/entrypoints/chat_utils.py, openai's InputAudio:
  format "wav" | "mp3") reach SGLang as its `audio_url` part with a data: URL (SGLang
  python/sglang/srt/entrypoints/openai/protocol.py ChatCompletionMessageContentAudioPart), which the
  releases the shim records take; a format vLLM refuses gets vLLM's 400.
- /v1/audio/transcriptions: the multipart upload relayed to SGLang's route, SGLang's errors in vLLM's
  shape (whole and as stream error frames), VLLM_SGLANG_MAX_BODY_BYTES answered 413.
- /v1/audio/translations: SGLang has none, so vLLM's 501.
Both audio paths sit under /v1, so --api-key guards them under every spelling."""

import json
import os
import sys

import pytest

from endpoints_helpers import recorded, recording_shim
from test_ep_security import AUTH, KEY, raw_request, spellings

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from audio_forms import multipart, sse_events, wav_base64, wav_bytes  # noqa: E402

LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def open_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory)


@pytest.fixture(scope="module")
def keyed_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--api-key", KEY],
                          env={"VLLM_SGLANG_MAX_BODY_BYTES": str(LIMIT)})


def chat_body(part, stream=False):
    return {"model": "Qwen/Qwen2.5-0.5B-Instruct", "stream": stream, "max_tokens": 8,
            "messages": [{"role": "user", "content": [{"type": "text", "text": "What is said?"}, part]}]}


def last_chat(shim):
    return [r for r in recorded(shim.record) if r["path"] == "/v1/chat/completions"][-1]


@pytest.mark.parametrize("stream", [False, True])
def test_input_audio_reaches_sglang_as_audio_url(open_shim, stream):
    data = wav_base64()
    part = {"type": "input_audio", "input_audio": {"data": data, "format": "wav"}}
    r = open_shim.post("/v1/chat/completions", chat_body(part, stream))
    assert r.status == 200, r.body
    if stream:
        text = "".join(e["choices"][0]["delta"].get("content") or "" for e in sse_events(r.body)
                       if isinstance(e, dict) and e.get("choices"))
    else:
        text = r.json()["choices"][0]["message"]["content"]
    assert text.startswith("[audio:1]")  # the stand-in heard one audio item
    sent = json.loads(last_chat(open_shim)["body"])
    assert sent["messages"][0]["content"][1] == {"type": "audio_url",
                                                 "audio_url": {"url": "data:audio/wav;base64," + data}}
    assert sent["messages"][0]["content"][0] == {"type": "text", "text": "What is said?"}


def test_mp3_gets_its_media_type_and_other_bytes_stay(open_shim):
    raw = ('{"model":"Qwen/Qwen2.5-0.5B-Instruct","messages":[{"role":"user","content":[{"input_audio":'
           '{"format":"mp3","data":"' + wav_base64() + '"},"type":"input_audio"}]}],"max_tokens":4,"temperature":1.50}')
    r = open_shim.post("/v1/chat/completions", raw, headers={"Content-Type": "application/json"})
    assert r.status == 200, r.body
    sent = last_chat(open_shim)["body"]
    assert sent == raw.replace('"input_audio":{"format":"mp3","data":"' + wav_base64() + '"},"type":"input_audio"',
                               '"audio_url":{"url":"data:audio/mpeg;base64,' + wav_base64() + '"},"type":"audio_url"')


@pytest.mark.parametrize("part", [
    {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "flac"}},
    {"type": "input_audio", "input_audio": {"data": 5, "format": "wav"}},
    {"type": "input_audio", "input_audio": {"format": "wav"}},
    {"type": "input_audio"},
])
def test_bad_input_audio_gets_vllms_400(open_shim, part):
    before = len(recorded(open_shim.record))
    r = open_shim.post("/v1/chat/completions", chat_body(part))
    assert r.status == 400
    error = r.json()["error"]
    assert error["type"] == "BadRequestError" and error["code"] == 400 and error["param"] == "messages"
    assert error["message"].startswith("messages[0].content[1]: ")
    assert not [x for x in recorded(open_shim.record)[before:] if x["path"] == "/v1/chat/completions"]


def transcribe(shim, fields, file_bytes=None, headers=None):
    body, content_type = multipart(fields, file_bytes)
    return shim.post("/v1/audio/transcriptions", body, headers={"Content-Type": content_type, **(headers or {})})


def test_transcription_json_and_stream(open_shim):
    audio = wav_bytes()
    r = transcribe(open_shim, {"model": "whisper"}, audio)
    assert r.status == 200, r.body
    assert r.json()["text"].startswith(f"[audio:{len(audio)} bytes] ")
    sent = [x for x in recorded(open_shim.record) if x["path"] == "/v1/audio/transcriptions"][-1]
    assert sent["headers"]["content-type"].startswith("multipart/form-data; boundary=")
    r = transcribe(open_shim, {"model": "whisper", "stream": "true"}, audio)
    assert r.status == 200 and r.header("content-type").startswith("text/event-stream")
    events = sse_events(r.body)
    assert events[-1] == "[DONE]" and events[-2]["choices"][0]["finish_reason"] == "stop"
    assert "".join(e["choices"][0]["delta"].get("content", "") for e in events[:-2]).startswith("[audio:")


def test_transcription_errors_in_vllms_shape(open_shim):
    r = transcribe(open_shim, {"model": "whisper"})  # no file
    assert r.status == 400 and set(r.json()["error"]) == {"message", "type", "param", "code"}
    assert "('body', 'file'): Field required" in r.json()["error"]["message"]
    r = transcribe(open_shim, {"response_format": "srt"}, wav_bytes())
    assert r.status == 400 and r.json() == {"error": {
        "message": "Only 'json', 'text', and 'verbose_json' formats supported", "type": "BadRequestError",
        "param": None, "code": 400}}
    r = transcribe(open_shim, {"stream": "true"}, b"")  # SGLang's loader fails mid-stream
    events = sse_events(r.body)
    assert r.status == 200 and events[-1] == "[DONE]"
    assert set(events[0]["error"]) == {"message", "type", "param", "code"} and events[0]["error"]["code"] == 400


def test_oversized_upload_is_413_and_the_shim_keeps_serving(keyed_shim):
    r = transcribe(keyed_shim, {"model": "whisper"}, b"\0" * (LIMIT + 1), headers=AUTH)
    assert r.status == 413
    assert set(r.json()["error"]) == {"message", "type", "param", "code"} and r.json()["error"]["code"] == 413
    r = transcribe(keyed_shim, {"model": "whisper"}, wav_bytes(), headers=AUTH)
    assert r.status == 200, r.body


def test_translations_is_501(open_shim):
    body, content_type = multipart({"model": "whisper"}, wav_bytes())
    r = open_shim.post("/v1/audio/translations", body, headers={"Content-Type": content_type})
    assert r.status == 501
    assert r.json()["error"]["type"] == "NotImplementedError" and "SGLang" in r.json()["error"]["message"]
    assert open_shim.get("/v1/audio/translations").status == 405
    assert not [x for x in recorded(open_shim.record) if x["path"] == "/v1/audio/translations"]


@pytest.mark.parametrize("path,served", [("/v1/audio/transcriptions", 200), ("/v1/audio/translations", 501)])
def test_api_key_gate_under_every_spelling(keyed_shim, path, served):
    body, content_type = multipart({"model": "whisper"}, wav_bytes())
    for target, refused in spellings(path):
        status, raw = raw_request(keyed_shim.port, "POST", target, headers={"Content-Type": content_type}, body=body)
        assert status == (400 if refused else 401), (target, status, raw[:200])
        if refused:
            continue
        status, raw = raw_request(keyed_shim.port, "POST", target, headers={"Content-Type": content_type, **AUTH},
                                  body=body)
        assert status == served, (target, status, raw[:200])
