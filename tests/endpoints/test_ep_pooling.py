"""vLLM's pooling routes on a pooling model, over the stand-in's SGLang embedding mode
(issue 14, item 1).

Each answer is checked member by member against the vLLM response model it follows
(vLLM @9aaf83ef vllm/entrypoints/pooling/embed/protocol.py EmbeddingResponse,
pooling/scoring/protocol.py RerankResponse and ScoreResponse, pooling/classify/protocol.py
ClassificationResponse), and each request against what SGLang's route takes (SGLang @8905cbd4
python/sglang/srt/entrypoints/openai/serving_embedding.py, serving_rerank.py,
serving_classify.py, http_server.py encode_request).
"""

import base64
import json
import struct
import time

import pytest

from endpoints_helpers import CHAT, VLLM_ERROR_KEYS, recorded, recording_shim
from harness import DEFAULT_MODEL
from test_ep_security import KEY, raw_request, spellings

AUTH = {"Authorization": "Bearer " + KEY}
POOLING_PATHS = ["/v1/embeddings", "/v2/embed", "/classify", "/pooling", "/score", "/v1/score", "/rerank",
                 "/v1/rerank", "/v2/rerank"]
GENERATION_PATHS = ["/v1/chat/completions", "/v1/completions", "/v1/responses", "/v1/responses/resp_1",
                    "/v1/messages", "/inference/v1/generate", "/v1/chat/completions/render"]
# Where the front door sends each pooling route (the stand-in records SGLang's path).
SGLANG_PATH = {"/v1/embeddings": "/v1/embeddings", "/rerank": "/v1/rerank", "/v1/rerank": "/v1/rerank",
               "/v2/rerank": "/v1/rerank", "/score": "/encode", "/v1/score": "/encode", "/classify": "/v1/classify"}


@pytest.fixture(scope="module")
def pooling_shim(module_shims, tmp_path_factory):
    # The runner alone names no task: vLLM would pick by architecture, so every pooling route
    # is served and score and rerank use SGLang's cross-encoder (test_ep_pooling_tasks.py
    # covers a named task).
    return recording_shim(module_shims, tmp_path_factory, args=["--runner", "pooling"])


@pytest.fixture(scope="module")
def keyed_pooling_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--runner", "pooling", "--api-key", KEY])


@pytest.fixture(scope="module")
def generate_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory)


def sent_to_engine(shim, sglang_path, since=0):
    """Bodies of the client requests the stand-in got on `sglang_path` (the front door's own
    calls carry no X-Forwarded-For)."""
    return [json.loads(r["body"]) if r["body"] else None for r in recorded(shim.record)[since:]
            if r["route_path"] == sglang_path and "x-forwarded-for" in r["headers"]]


def record_mark(shim):
    return len(recorded(shim.record))


def assert_vllm_error(response, status):
    assert response.status == status, (response.status, response.body[:300])
    body = response.json()
    assert list(body) == ["error"] and list(body["error"]) == VLLM_ERROR_KEYS, body
    assert body["error"]["code"] == status and body["error"]["message"], body


# ---- /v1/embeddings ------------------------------------------------------------------------


def test_embeddings_answer_in_vllms_shape(pooling_shim):
    before = time.time()
    r = pooling_shim.post("/v1/embeddings", {"input": ["hello world", "bye"], "encoding_format": "float"})
    assert r.status == 200, r.body
    body = r.json()
    assert set(body) == {"id", "object", "created", "model", "data", "usage"}
    assert body["id"].startswith("embd-") and len(body["id"]) > len("embd-")
    assert body["object"] == "list" and isinstance(body["created"], int)
    assert before - 2 <= body["created"] <= time.time() + 2
    assert body["model"] == DEFAULT_MODEL
    assert [d["index"] for d in body["data"]] == [0, 1]
    for item in body["data"]:
        assert set(item) == {"index", "object", "embedding"} and item["object"] == "embedding"
        assert item["embedding"] and all(isinstance(x, float) for x in item["embedding"])
    assert body["data"][0]["embedding"] != body["data"][1]["embedding"]
    usage = body["usage"]
    assert usage["prompt_tokens"] > 0 and usage["total_tokens"] == usage["prompt_tokens"]
    assert usage["completion_tokens"] == 0 and usage["prompt_tokens_details"] is None


def test_embeddings_base64_is_float32_little_endian_of_the_same_values(pooling_shim):
    floats = pooling_shim.post("/v1/embeddings", {"input": "hello world", "encoding_format": "float"}).json()
    mark = record_mark(pooling_shim)
    r = pooling_shim.post("/v1/embeddings", {"input": "hello world", "encoding_format": "base64"})
    assert r.status == 200, r.body
    encoded = r.json()["data"][0]["embedding"]
    assert isinstance(encoded, str)
    raw = base64.b64decode(encoded)
    values = struct.unpack("<%df" % (len(raw) // 4), raw)
    want = floats["data"][0]["embedding"]
    assert len(values) == len(want)
    assert all(abs(a - b) <= 1e-6 * max(1.0, abs(b)) for a, b in zip(values, want))
    # SGLang before 2026-07 ignores base64: it is always asked for floats.
    assert sent_to_engine(pooling_shim, "/v1/embeddings", mark)[-1]["encoding_format"] == "float"


def test_embeddings_float16_big_endian(pooling_shim):
    floats = pooling_shim.post("/v1/embeddings", {"input": [1, 2, 3]}).json()["data"][0]["embedding"]
    r = pooling_shim.post("/v1/embeddings", {"input": [1, 2, 3], "encoding_format": "base64", "embed_dtype": "float16",
                                           "endianness": "big"})
    raw = base64.b64decode(r.json()["data"][0]["embedding"])
    values = struct.unpack(">%de" % (len(raw) // 2), raw)
    assert all(abs(a - b) <= 1e-3 for a, b in zip(values, floats)) and len(values) == len(floats)


def test_embeddings_id_follows_the_request_id(pooling_shim):
    r = pooling_shim.post("/v1/embeddings", {"input": "x"}, headers={"X-Request-Id": "abc-123"})
    assert r.json()["id"] == "embd-abc-123"


@pytest.mark.parametrize("body,status", [
    ({"input": ""}, 400),                                        # SGLang's own validation, in vLLM's shape
    ({"input": []}, 400),
    ({"input": ["ok", "  "]}, 400),
    ({"input": [1, -2]}, 400),
    # chat-style with vLLM's default (no generation prompt), which SGLang cannot render: said so
    ({"messages": [{"role": "user", "content": "hi"}]}, 400),
    ({"messages": [{"role": "user", "content": "hi"}], "add_generation_prompt": True, "chat_template": "{{x}}"}, 400),
    ({"messages": [], "add_generation_prompt": True}, 400),
    ({"messages": [{"role": "user", "content": "hi"}], "add_generation_prompt": True, "model": "nope"}, 404),
    ({"input": "x", "encoding_format": "bytes"}, 400),
    ({"input": "x", "encoding_format": 7}, 400),
    ({"input": "x", "normalize": False}, 400),
    ({"input": "x", "model": "no-such-model"}, 404),
])
def test_embeddings_bad_input_gets_vllms_error(pooling_shim, body, status):
    assert_vllm_error(pooling_shim.post("/v1/embeddings", body), status)


def test_malformed_json_on_every_pooling_route_gets_a_vllm_error_and_serving_goes_on(pooling_shim):
    for path in ["/v1/embeddings", "/rerank", "/v1/rerank", "/v2/rerank", "/score", "/v1/score", "/classify"]:
        status, body = raw_request(pooling_shim.port, "POST", path, body=b'{"input": ')
        assert status == 400, (path, status, body[:200])
        assert list(json.loads(body)["error"]) == VLLM_ERROR_KEYS, path
    assert pooling_shim.get("/health").status == 200
    assert pooling_shim.post("/v1/embeddings", {"input": "still serving"}).status == 200


# ---- rerank and score ----------------------------------------------------------------------

DOCS = ["the cat sat on the mat", "stock markets fell", "a cat and a dog", "cats purr"]


def test_chat_style_embeddings_embed_the_ids_sglang_renders(pooling_shim):
    # vLLM's EmbeddingChatRequest (vLLM @9aaf83ef vllm/entrypoints/pooling/embed/protocol.py):
    # SGLang's /tokenize renders the messages with the model's chat template (SGLang
    # protocol.py TokenizeRequest), and /v1/embeddings embeds those ids.
    messages = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "quick brown fox"}]
    mark = record_mark(pooling_shim)
    r = pooling_shim.post("/v1/embeddings", {"messages": messages, "add_generation_prompt": True,
                                             "encoding_format": "float", "dimensions": 8, "user": "u1"})
    assert r.status == 200, r.body
    body = r.json()
    assert set(body) == {"id", "object", "created", "model", "data", "usage"} and body["model"] == DEFAULT_MODEL
    assert len(body["data"]) == 1 and len(body["data"][0]["embedding"]) == 8
    records = recorded(pooling_shim.record)[mark:]
    rendered = [json.loads(x["body"]) for x in records if x["route_path"] == "/tokenize"]
    assert rendered == [{"messages": messages, "continue_final_message": False}]
    sent = sent_to_engine(pooling_shim, "/v1/embeddings", mark)
    assert len(sent) == 1
    ids = sent[0]["input"]
    assert ids and all(isinstance(i, int) for i in ids)
    assert not set(sent[0]) & {"messages", "add_generation_prompt", "continue_final_message"}
    assert sent[0]["dimensions"] == 8 and sent[0]["user"] == "u1"
    assert body["usage"]["prompt_tokens"] == len(ids)
    # The same vector as the rendered ids sent as `input`, and base64 encodes it as for `input`.
    direct = pooling_shim.post("/v1/embeddings", {"input": ids, "dimensions": 8}).json()
    assert direct["data"][0]["embedding"] == body["data"][0]["embedding"]
    b64 = pooling_shim.post("/v1/embeddings", {"messages": messages, "add_generation_prompt": True,
                                               "dimensions": 8, "encoding_format": "base64"})
    raw = base64.b64decode(b64.json()["data"][0]["embedding"])
    assert list(struct.unpack("<8f", raw)) == pytest.approx(body["data"][0]["embedding"], rel=1e-6)


def test_chat_style_embeddings_refusal_says_how_to_send_it(pooling_shim):
    mark = record_mark(pooling_shim)
    r = pooling_shim.post("/v1/embeddings", {"messages": [{"role": "user", "content": "hi"}]})
    assert_vllm_error(r, 400)
    assert "add_generation_prompt=true" in r.json()["error"]["message"]
    reached = [x["route_path"] for x in recorded(pooling_shim.record)[mark:]]
    assert "/tokenize" not in reached and "/v1/embeddings" not in reached, reached


@pytest.mark.parametrize("path", ["/rerank", "/v1/rerank", "/v2/rerank"])
def test_rerank_answers_in_vllms_shape(pooling_shim, path):
    mark = record_mark(pooling_shim)
    r = pooling_shim.post(path, {"model": DEFAULT_MODEL, "query": "cat", "documents": DOCS})
    assert r.status == 200, r.body
    body = r.json()
    assert list(body) == ["id", "model", "usage", "results"]
    assert body["id"].startswith("score-") and body["model"] == DEFAULT_MODEL
    assert set(body["usage"]) == {"prompt_tokens", "total_tokens"} and body["usage"]["prompt_tokens"] > 0
    results = body["results"]
    assert sorted(x["index"] for x in results) == list(range(len(DOCS)))
    scores = [x["relevance_score"] for x in results]
    assert scores == sorted(scores, reverse=True)
    for x in results:
        assert list(x) == ["index", "document", "relevance_score"]
        assert x["document"] == {"text": DOCS[x["index"]], "multi_modal": None}
    sent = sent_to_engine(pooling_shim, "/v1/rerank", mark)
    assert len(sent) == 1 and sent[0]["query"] == "cat" and sent[0]["documents"] == DOCS


def test_rerank_top_n_keeps_the_best(pooling_shim):
    full = pooling_shim.post("/rerank", {"query": "cat", "documents": DOCS}).json()["results"]
    top = pooling_shim.post("/rerank", {"query": "cat", "documents": DOCS, "top_n": 2}).json()["results"]
    assert top == full[:2]


def test_score_pairs_one_to_many_and_many_to_many(pooling_shim):
    rerank = {x["index"]: x["relevance_score"]
              for x in pooling_shim.post("/rerank", {"query": "cat", "documents": DOCS}).json()["results"]}
    mark = record_mark(pooling_shim)
    r = pooling_shim.post("/score", {"text_1": "cat", "text_2": DOCS})
    assert r.status == 200, r.body
    body = r.json()
    assert list(body) == ["id", "object", "created", "model", "data", "usage"]
    assert body["object"] == "list" and body["model"] == DEFAULT_MODEL and body["id"].startswith("score-")
    assert [d["index"] for d in body["data"]] == list(range(len(DOCS)))
    assert all(list(d) == ["index", "object", "score"] and d["object"] == "score" for d in body["data"])
    # The same cross-encoder scores the same pair the same way through either route.
    assert [d["score"] for d in body["data"]] == pytest.approx([rerank[i] for i in range(len(DOCS))])
    sent = sent_to_engine(pooling_shim, "/encode", mark)
    assert sent[-1]["is_cross_encoder_request"] is True
    assert sent[-1]["text"] == [["cat", d] for d in DOCS]
    # N:N with vLLM's newer names, and 1:1.
    r = pooling_shim.post("/v1/score", {"queries": ["cat", "stock"], "documents": DOCS[:2]})
    assert r.status == 200 and len(r.json()["data"]) == 2
    r = pooling_shim.post("/v1/score", {"data_1": "cat", "data_2": "cats purr"})
    assert r.status == 200 and len(r.json()["data"]) == 1


@pytest.mark.parametrize("path,body", [
    ("/rerank", {"query": "q"}),
    ("/rerank", {"query": "q", "documents": []}),
    ("/rerank", {"query": 5, "documents": ["a"]}),
    ("/rerank", {"query": "q", "documents": ["a"], "top_n": -1}),
    ("/v1/rerank", [1, 2]),
    ("/score", {"text_1": ["a", "b"], "text_2": ["c", "d", "e"]}),
    ("/score", {"text_1": "a"}),
    ("/v1/score", {"text_1": "a", "text_2": []}),
    ("/rerank", {"query": "q", "documents": ["a"], "model": "no-such-model"}),
])
def test_rerank_and_score_bad_input(pooling_shim, path, body):
    r = pooling_shim.post(path, body)
    assert_vllm_error(r, 404 if isinstance(body, dict) and body.get("model") == "no-such-model" else 400)


def test_engine_errors_on_rerank_come_back_in_vllms_shape(pooling_shim):
    # The stand-in refuses a whitespace-only document as SGLang does.
    assert_vllm_error(pooling_shim.post("/rerank", {"query": "q", "documents": ["ok", "   "]}), 400)


# ---- classify, and what SGLang has no equivalent for ------------------------------------------


def test_classify_answers_in_vllms_shape(pooling_shim):
    mark = record_mark(pooling_shim)
    r = pooling_shim.post("/classify", {"input": ["good", "bad"]})
    assert r.status == 200, r.body
    body = r.json()
    assert list(body) == ["id", "object", "created", "model", "data", "usage"]
    assert body["model"] == DEFAULT_MODEL and body["object"] == "list"
    for i, item in enumerate(body["data"]):
        assert list(item) == ["index", "label", "probs", "num_classes"] and item["index"] == i
        assert item["num_classes"] == len(item["probs"]) and abs(sum(item["probs"]) - 1) < 1e-6
    assert len(sent_to_engine(pooling_shim, "/v1/classify", mark)) == 1
    assert_vllm_error(pooling_shim.post("/classify", {"input": ""}), 400)


@pytest.mark.parametrize("path", ["/pooling", "/v2/embed"])
def test_routes_sglang_cannot_serve_say_so_in_vllms_shape(pooling_shim, path):
    mark = record_mark(pooling_shim)
    r = pooling_shim.post(path, {"input": "x"})
    assert_vllm_error(r, 501)
    assert r.json()["error"]["type"] == "NotImplementedError"
    assert not [x for x in recorded(pooling_shim.record)[mark:] if "x-forwarded-for" in x["headers"]]


# ---- which task's routes exist ---------------------------------------------------------------


@pytest.mark.parametrize("path", GENERATION_PATHS)
def test_a_pooling_model_has_no_generation_routes(pooling_shim, path):
    mark = record_mark(pooling_shim)
    body = dict(CHAT, prompt="hi", input="hi")
    r = pooling_shim.post(path, body)
    assert r.status == 404 and r.json() == {"detail": "Not Found"}, (path, r.status, r.body[:200])
    assert not [x for x in recorded(pooling_shim.record)[mark:] if "x-forwarded-for" in x["headers"]]


@pytest.mark.parametrize("path", POOLING_PATHS)
def test_a_generation_model_has_no_pooling_routes(generate_shim, path):
    mark = record_mark(generate_shim)
    r = generate_shim.post(path, {"input": "hi", "query": "q", "documents": ["d"], "text_1": "a", "text_2": "b"})
    assert r.status == 404 and r.json() == {"detail": "Not Found"}, (path, r.status, r.body[:200])
    assert not [x for x in recorded(generate_shim.record)[mark:] if "x-forwarded-for" in x["headers"]]


# ---- vLLM's API-key gate, under every spelling -------------------------------------------------

# vLLM guards /v1, /v2 and /inference only (vLLM @9aaf83ef vllm/entrypoints/openai/server_utils.py).
GUARDED = {"/v1/embeddings", "/v2/embed", "/v1/score", "/v1/rerank", "/v2/rerank"}
PROBE = {"input": "hi", "query": "q", "documents": ["d"], "text_1": "a", "text_2": "b"}


@pytest.mark.parametrize("path", POOLING_PATHS)
def test_pooling_routes_keep_vllms_key_gate_under_every_spelling(keyed_pooling_shim, path):
    shim = keyed_pooling_shim
    payload = json.dumps(PROBE).encode()
    for target, refused in spellings(path):
        status, body = raw_request(shim.port, "POST", target, headers={"Content-Type": "application/json"},
                                   body=payload)
        if refused:
            assert status == 400, (target, status)
        elif path in GUARDED:
            assert status == 401 and json.loads(body) == {"error": "Unauthorized"}, (target, status, body[:200])
        else:
            assert status not in (401, 403), (target, status, body[:200])
    r = shim.post(path, PROBE, headers=AUTH)
    assert r.status in (200, 501), (path, r.status, r.body[:300])


def test_sglangs_own_pooling_routes_stay_hidden_on_a_pooling_model(keyed_pooling_shim):
    shim = keyed_pooling_shim
    for path in ["/encode", "/v1/classify"]:
        mark = record_mark(shim)
        for headers in ({}, AUTH):
            for target, refused in spellings(path):
                status, _ = raw_request(shim.port, "POST", target, headers=headers, body=b'{"text": "hi"}')
                assert status in ((400,) if refused else (401, 404)), (target, status)
        assert not [x for x in recorded(shim.record)[mark:] if "x-forwarded-for" in x["headers"]], path
