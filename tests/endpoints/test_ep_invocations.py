"""vLLM's SageMaker route, POST /invocations (issue 14 item 5): the body is served by the
first of the model's routes whose request model accepts it, in vLLM's order (vLLM @9aaf83ef
vllm/entrypoints/sagemaker/api_router.py, INVOCATION_TYPES; pooling/factories.py: chat,
completion, then embedding or classification by the model's task, rerank, score, pooling). SGLang's own /invocations serves chat only, so the
front door picks the route and SGLang sees the request on that route's path."""

import json

import pytest

from endpoints_helpers import VLLM_ERROR_KEYS, recorded, recording_shim
from test_ep_security import KEY, raw_request, spellings

AUTH = {"Authorization": "Bearer " + KEY}
CHAT = {"messages": [{"role": "user", "content": "hi"}], "max_tokens": 3}


@pytest.fixture(scope="module")
def gen_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--api-key", KEY])


@pytest.fixture(scope="module")
def pool_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--convert", "embed"])


@pytest.fixture(scope="module")
def classify_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--convert", "classify"])


def last_forwarded(shim):
    sent = [r for r in recorded(shim.record) if "x-forwarded-for" in r["headers"]]
    return sent[-1] if sent else None


@pytest.mark.parametrize("body,path,kind", [
    (CHAT, "/v1/chat/completions", "chat.completion"),
    ({"prompt": "hi", "max_tokens": 3}, "/v1/completions", "text_completion"),
    # A body with both goes to chat: vLLM tries ChatCompletionRequest first.
    ({**CHAT, "prompt": "ignored"}, "/v1/chat/completions", "chat.completion"),
])
def test_generation_bodies_reach_their_route(gen_shim, body, path, kind):
    r = gen_shim.post("/invocations", body)
    assert r.status == 200, r.body
    assert r.json()["object"] == kind
    sent = last_forwarded(gen_shim)
    assert sent["route_path"] == path
    # The route's own rewriting ran: the chat answer's tool_calls is vLLM's list.
    if kind == "chat.completion":
        assert r.json()["choices"][0]["message"]["tool_calls"] == []


def test_streamed_invocation_streams(gen_shim):
    r = gen_shim.post("/invocations", {**CHAT, "stream": True})
    assert r.status == 200 and r.header("content-type").startswith("text/event-stream")
    assert r.body.rstrip().endswith(b"data: [DONE]")


@pytest.mark.parametrize("body,status,needle", [
    ({"input": "x"}, 400, "Cannot find suitable handler for request. Expected one of: "
                          "['ChatCompletionRequest', 'CompletionRequest']"),
    ({**CHAT, "model": "no-such-model"}, 404, "does not exist"),
    ({**CHAT, "logprobs": None, "n": "two"}, 400, ""),  # the chat route's own validation answers
])
def test_bad_invocations_get_vllms_error(gen_shim, body, status, needle):
    r = gen_shim.post("/invocations", body)
    assert r.status == status, r.body
    assert list(r.json()["error"]) == VLLM_ERROR_KEYS
    assert needle in r.json()["error"]["message"]


def test_malformed_json_and_wrong_method(gen_shim):
    status, body = raw_request(gen_shim.port, "POST", "/invocations", body=b'{"messages": [')
    assert status == 400 and list(json.loads(body)["error"]) == VLLM_ERROR_KEYS
    status, body = raw_request(gen_shim.port, "GET", "/invocations")
    assert status == 405 and json.loads(body) == {"detail": "Method Not Allowed"}
    assert gen_shim.get("/health").status == 200


def test_invocations_stays_open_under_every_spelling_as_in_vllm(gen_shim):
    # vLLM guards /v1, /v2 and /inference only (vllm/entrypoints/openai/server_utils.py @9aaf83ef).
    payload = json.dumps({"prompt": "hi", "max_tokens": 2}).encode()
    for target, refused in spellings("/invocations"):
        status, body = raw_request(gen_shim.port, "POST", target, headers={"Content-Type": "application/json"},
                                   body=payload)
        assert status == (400 if refused else 200), (target, status, body[:200])


@pytest.mark.parametrize("body,path,shape", [
    ({"input": "x"}, "/v1/embeddings", "list"),
    # A chat-style embedding request: rendered by SGLang's /tokenize, then embedded.
    ({"messages": [{"role": "user", "content": "x"}], "add_generation_prompt": True}, "/v1/embeddings", "list"),
    # An embedding model scores by the cosine of embeddings, as vLLM's bi-encoder does.
    ({"text_1": "cat", "text_2": ["a cat", "dog"]}, "/v1/embeddings", "list"),
    ({"query": "cat", "documents": ["a cat", "dog"]}, "/v1/embeddings", None),
])
def test_pooling_bodies_reach_their_route(pool_shim, body, path, shape):
    r = pool_shim.post("/invocations", body)
    assert r.status == 200, r.body
    answer = r.json()
    assert answer.get("object") == shape
    assert "id" in answer and "model" in answer
    assert last_forwarded(pool_shim)["route_path"] == path
    r = pool_shim.post("/invocations", {"prompt": "hi"})
    assert r.status == 400 and "['EmbeddingRequest', 'RerankRequest', 'ScoreRequest']" in r.json()["error"]["message"]


@pytest.mark.parametrize("body,path,shape", [
    ({"input": ["good", "bad"]}, "/v1/classify", "list"),
    ({"text_1": "cat", "text_2": ["a cat", "dog"]}, "/encode", "list"),
    ({"query": "cat", "documents": ["a cat", "dog"]}, "/v1/rerank", None),
])
def test_a_classification_models_bodies_reach_its_routes(classify_shim, body, path, shape):
    r = classify_shim.post("/invocations", body)
    assert r.status == 200, r.body
    answer = r.json()
    assert answer.get("object") == shape and "model" in answer
    assert last_forwarded(classify_shim)["route_path"] == path
    if path == "/v1/classify":
        assert [d["index"] for d in answer["data"]] == [0, 1] and "label" in answer["data"][0]
    r = classify_shim.post("/invocations", {"prompt": "hi"})
    assert r.status == 400
    assert "['ClassificationRequest', 'RerankRequest', 'ScoreRequest']" in r.json()["error"]["message"]
