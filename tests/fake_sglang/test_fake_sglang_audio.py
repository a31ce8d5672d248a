"""fake-sglang's audio, as SGLang @8905cbd4 has it: chat audio_url parts with a data: URL
(python/sglang/srt/entrypoints/openai/protocol.py ChatCompletionMessageContentAudioPart; the URL
decoded as python/sglang/srt/utils/common.py load_audio does), OpenAI's input_audio part refused by
pydantic (SGLang added it in sgl-project/sglang#33606, 2026-08), and the multipart
/v1/audio/transcriptions of http_server.py and serving_transcription.py."""
import json
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from audio_forms import multipart, sse_events, wav_base64, wav_bytes  # noqa: E402

FAST_HEALTH = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0"}


@pytest.fixture
def engine(start_engine):
    return start_engine(env=FAST_HEALTH)


def chat(engine, part, stream=False):
    body = {"model": "m", "messages": [{"role": "user", "content": [{"type": "text", "text": "what is said?"}, part]}],
            "stream": stream}
    status, _, raw = engine.request("POST", "/v1/chat/completions", body)
    return status, raw


def audio_url(url):
    return {"type": "audio_url", "audio_url": {"url": url}}


def test_audio_url_data_is_heard(engine):
    status, raw = chat(engine, audio_url("data:audio/wav;base64," + wav_base64()))
    assert status == 200, raw
    assert json.loads(raw)["choices"][0]["message"]["content"].startswith("[audio:1]")
    status, raw = chat(engine, audio_url("data:audio/mpeg;base64," + wav_base64()), stream=True)
    assert status == 200
    text = "".join(e["choices"][0]["delta"].get("content") or "" for e in sse_events(raw)[:-1])
    assert "[audio:1]" in text


def test_bad_audio_urls_get_sglangs_400(engine):
    for url, words in [("data:audio/wav;base64,not base64!", "not valid base64"),
                       ("data:image/png;base64," + wav_base64(), "is not audio/*")]:
        status, raw = chat(engine, audio_url(url))
        body = json.loads(raw)
        assert status == 400 and body["object"] == "error" and body["type"] == "BadRequestError", raw
        assert words in body["message"]


def test_input_audio_is_refused_by_validation(engine):
    status, raw = chat(engine, {"type": "input_audio", "input_audio": {"data": wav_base64(), "format": "wav"}})
    body = json.loads(raw)
    assert status == 400 and body["object"] == "error" and body["type"] == "Bad Request", raw
    assert body["message"].startswith("4 validation errors for ChatCompletionRequest:")
    assert "ChatCompletionMessageContentAudioPart', 'type'): Input should be 'audio_url'" in body["message"]


def transcribe(engine, fields, file_bytes=None):
    body, content_type = multipart(fields, file_bytes)
    return engine.request("POST", "/v1/audio/transcriptions", body, {"Content-Type": content_type})


def test_transcription_formats(engine):
    audio = wav_bytes()
    status, headers, raw = transcribe(engine, {"model": "whisper"}, audio)
    assert status == 200, raw
    body = json.loads(raw)
    assert list(body) == ["text", "usage"] and body["text"].startswith(f"[audio:{len(audio)} bytes] ")
    status, headers, raw = transcribe(engine, {"response_format": "text"}, audio)
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert raw.decode() == body["text"]
    status, _, raw = transcribe(engine, {"response_format": "verbose_json", "language": "de"}, audio)
    assert status == 200 and json.loads(raw)["language"] == "de"


def test_transcription_streams_deltas(engine):
    audio = wav_bytes()
    status, headers, raw = transcribe(engine, {"stream": "true", "model": "whisper"}, audio)
    assert status == 200 and headers["content-type"].startswith("text/event-stream")
    events = sse_events(raw)
    assert events[-1] == "[DONE]"
    assert events[-2]["choices"][0] == {"index": 0, "delta": {}, "finish_reason": "stop"}
    text = "".join(e["choices"][0]["delta"]["content"] for e in events[:-2])
    assert text.startswith(f"[audio:{len(audio)} bytes] ")
    assert all(e["object"] == "transcription.chunk" and e["model"] == "whisper" for e in events[:-1])


def test_transcription_errors(engine):
    status, _, raw = transcribe(engine, {"model": "whisper"})
    body = json.loads(raw)
    assert status == 400 and body["type"] == "Bad Request"
    assert "('body', 'file'): Field required" in body["message"]
    status, _, raw = transcribe(engine, {"response_format": "srt"}, wav_bytes())
    assert status == 400 and json.loads(raw) == {
        "error": {"message": "Only 'json', 'text', and 'verbose_json' formats supported"}}
    status, _, raw = transcribe(engine, {}, b"")
    assert status == 400 and json.loads(raw)["object"] == "error"
    status, _, raw = transcribe(engine, {"stream": "true"}, b"")
    events = sse_events(raw)
    assert status == 200 and events[0]["error"]["object"] == "error" and events[-1] == "[DONE]"
