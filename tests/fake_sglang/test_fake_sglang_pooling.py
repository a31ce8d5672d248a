"""fake-sglang --is-embedding: SGLang's pooling routes (/v1/embeddings, /v1/rerank, /v1/classify,
/encode, /classify) with the validation and shapes of python/sglang/srt/entrypoints/openai/
serving_embedding.py, serving_rerank.py, serving_classify.py and http_server.py, the answers of the
generation routes on an embedding model, and the native 200 these paths keep without the flag."""
import json
import math
import re

import pytest

FAST_HEALTH = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0"}
POOLING_PATHS = ["/encode", "/classify", "/v1/classify", "/v1/rerank", "/v1/score", "/v1/embeddings"]
USAGE_KEYS = ["prompt_tokens", "total_tokens", "completion_tokens", "prompt_tokens_details"]


@pytest.fixture
def embedding_engine(start_engine):
    return start_engine("--is-embedding", "--served-model-name", "served-emb", env=FAST_HEALTH)


def post(engine, path, body, headers=None):
    """(status, parsed body, raw body text) on a fresh connection."""
    status, _, raw = engine.request("POST", path, body, headers)
    return status, json.loads(raw), raw.decode()


def flat_error(status, body, message):
    assert status == 400
    assert body == {"object": "error", "message": message, "type": "BadRequestError", "param": None, "code": 400}


def pydantic_error(status, body, model, field):
    assert status == 400 and body["object"] == "error" and body["type"] == "Bad Request"
    assert body["message"].startswith("1 validation error for %s:" % model)
    assert "('body', '%s')" % field in body["message"]


def test_embeddings_shape_field_by_field(embedding_engine):
    status, body, raw = post(embedding_engine, "/v1/embeddings",
                             {"input": ["hello world", "hi"], "model": "x", "encoding_format": "base64",
                              "dimensions": 4})
    assert status == 200
    assert list(json.loads(raw, object_pairs_hook=lambda p: [k for k, _ in p])) == ["data", "model", "object", "usage"]
    assert "id" not in body and "created" not in body
    assert body["model"] == "org/test-model"  # tokenizer_manager.model_path, not the served name
    assert body["object"] == "list"
    assert [d["index"] for d in body["data"]] == [0, 1]
    for d in body["data"]:
        assert list(d) == ["embedding", "index", "object"] and d["object"] == "embedding"
        assert len(d["embedding"]) == 8 and all(isinstance(x, float) for x in d["embedding"])  # floats, not base64
        assert math.isclose(math.sqrt(sum(x * x for x in d["embedding"])), 1.0, rel_tol=1e-9)
    assert body["data"][0]["embedding"] != body["data"][1]["embedding"]
    assert list(body["usage"]) == USAGE_KEYS
    assert body["usage"] == {"prompt_tokens": 3, "total_tokens": 3, "completion_tokens": 0,
                             "prompt_tokens_details": None}
    # Deterministic: the same text gives the same vector, alone or in a batch.
    single = post(embedding_engine, "/v1/embeddings", {"input": "hi"})[1]
    assert single["data"][0]["embedding"] == body["data"][1]["embedding"]
    ids = post(embedding_engine, "/v1/embeddings", {"input": [5, 6, 7]})[1]
    assert len(ids["data"]) == 1 and ids["usage"]["prompt_tokens"] == 3
    batch = post(embedding_engine, "/v1/embeddings", {"input": [[5, 6, 7], [8]]})[1]
    assert batch["data"][0]["embedding"] == ids["data"][0]["embedding"] and batch["usage"]["prompt_tokens"] == 4


@pytest.mark.parametrize("value,message", [
    ("", "Input cannot be empty"),
    ([], "Input cannot be empty"),
    ("   ", "Input cannot be empty or whitespace only"),
    (["ok", " \n"], "Input at index 1 cannot be empty or whitespace only"),
    ([3, -1], "Token ID at index 1 must be non-negative"),
    ([[1], []], "Input at index 1 cannot be empty"),
    ([[1], [2, -3]], "Input at index 1 contains negative token IDs"),
])
def test_embeddings_validation_messages(embedding_engine, value, message):
    status, body, _ = post(embedding_engine, "/v1/embeddings", {"input": value})
    flat_error(status, body, message)


def test_embeddings_pydantic_errors_and_method(embedding_engine):
    for request in ({"model": "m"}, {"input": 5}, {"input": ["a", 1]}, {"input": "a", "encoding_format": 1}):
        field = "input" if "encoding_format" not in request else "encoding_format"
        status, body, _ = post(embedding_engine, "/v1/embeddings", request)
        pydantic_error(status, body, "EmbeddingRequest", field)
    status, _, raw = embedding_engine.request("POST", "/v1/embeddings", json.dumps({"input": "a"}),
                                              {"Content-Type": "text/plain"})
    assert status == 400 and "Unsupported Media Type" in json.loads(raw)["message"]
    assert embedding_engine.request("POST", "/v1/embeddings", "{bad", {"Content-Type": "application/json"})[0] == 400
    status, _, raw = embedding_engine.request("GET", "/v1/embeddings")
    assert (status, json.loads(raw)) == (405, {"detail": "Method Not Allowed"})
    flat_error(*post(embedding_engine, "/v1/embeddings", {"input": " ".join(["w"] * 40000)})[:2],
               "The input (40000 tokens) is longer than the model's context length (32768 tokens).")


DOCS = ["the llama is a camelid", "a panda eats bamboo", "The giant panda is a bear", "pandas and giant pandas"]


def test_rerank_bare_list_sorted_by_score(embedding_engine):
    status, body, raw = post(embedding_engine, "/v1/rerank", {"query": "giant panda", "documents": DOCS})
    assert status == 200 and isinstance(body, list) and raw.startswith("[")
    assert [r["index"] for r in body] == [2, 1, 3, 0]  # both words, one word, "giant" only, none
    scores = [r["score"] for r in body]
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)
    assert math.isclose(scores[0], 0.95, abs_tol=0.001) and scores[-1] < 0.051
    for r in body:
        assert list(r) == ["score", "document", "index", "meta_info"]
        assert r["document"] == DOCS[r["index"]]
        assert re.fullmatch(r"[0-9a-f]{32}", r["meta_info"]["id"])
    assert body[0]["meta_info"]["prompt_tokens"] == 2 + 6
    top = post(embedding_engine, "/v1/rerank", {"query": "giant panda", "documents": DOCS, "top_n": 2,
                                                "return_documents": False, "instruct": "rank"})[1]
    assert [r["index"] for r in top] == [2, 1] and all("document" not in r for r in top)
    everything = post(embedding_engine, "/v1/rerank", {"query": "giant panda", "documents": DOCS, "top_n": 9})[1]
    assert [(r["index"], r["score"]) for r in everything] == [(r["index"], r["score"]) for r in body]


@pytest.mark.parametrize("request_body,message", [
    ({"query": "", "documents": ["a"]}, "Query cannot be empty"),
    ({"query": "  ", "documents": ["a"]}, "Query cannot be empty or whitespace only"),
    ({"query": "q", "documents": []}, "Documents cannot be empty"),
    ({"query": "q", "documents": ["a", ""]}, "Each document must be a non-empty string"),
    ({"query": "q", "documents": ["a", "\t "]}, "Each document cannot be empty or whitespace only"),
])
def test_rerank_validation_messages(embedding_engine, request_body, message):
    flat_error(*post(embedding_engine, "/v1/rerank", request_body)[:2], message)


def test_rerank_pydantic_errors(embedding_engine):
    pydantic_error(*post(embedding_engine, "/v1/rerank", {"documents": ["a"]})[:2], "V1RerankReqInput", "query")
    pydantic_error(*post(embedding_engine, "/v1/rerank", {"query": "q"})[:2], "V1RerankReqInput", "documents")
    status, body, _ = post(embedding_engine, "/v1/rerank", {"query": "q", "documents": ["a"], "top_n": 0})
    pydantic_error(status, body, "V1RerankReqInput", "top_n")
    assert "Value error, Value error, parameter top_n should be larger than 0." in body["message"]


def test_encode_single_batch_and_cross_encoder(embedding_engine):
    status, one, _ = post(embedding_engine, "/encode", {"text": "hi"})
    assert status == 200 and list(one) == ["embedding", "meta_info"] and len(one["embedding"]) == 8
    assert one["meta_info"]["prompt_tokens"] == 1 and one["meta_info"]["finish_reason"] == {"type": "length",
                                                                                           "length": 0}
    embedded = post(embedding_engine, "/v1/embeddings", {"input": "hi"})[1]["data"][0]["embedding"]
    assert one["embedding"] == embedded
    status, many, _ = post(embedding_engine, "/encode", {"text": ["hi", "there you"]})
    assert status == 200 and [m["embedding"] for m in many][0] == embedded
    assert [m["meta_info"]["prompt_tokens"] for m in many] == [1, 2]
    assert post(embedding_engine, "/encode", {"input_ids": [5, 6, 7]})[1]["meta_info"]["prompt_tokens"] == 3
    pairs = [["giant panda", d] for d in DOCS]
    status, scored, _ = post(embedding_engine, "/encode", {"text": pairs, "is_cross_encoder_request": True})
    assert status == 200 and len(scored) == 4  # request order, unsorted
    rerank = post(embedding_engine, "/v1/rerank", {"query": "giant panda", "documents": DOCS})[1]
    by_index = {r["index"]: r["score"] for r in rerank}
    assert [s["embedding"] for s in scored] == [by_index[i] for i in range(4)]
    assert [s["meta_info"]["prompt_tokens"] for s in scored] == [7, 6, 8, 6]


def test_encode_errors(embedding_engine):
    status, body, _ = post(embedding_engine, "/encode", {})
    missing = "At least one of text, input_ids, or image should be provided"
    assert (status, body) == (400, {"error": {"message": missing}})
    status, body, _ = post(embedding_engine, "/encode", {"text": "a", "input_ids": [1]})
    assert (status, body) == (400, {"error": {"message": "text and input_ids cannot be provided at the same time"}})
    pydantic_error(*post(embedding_engine, "/encode", {"text": 5})[:2], "EmbeddingReqInput", "text")


def test_native_classify_returns_logits_and_v1_classify_the_softmax(embedding_engine):
    status, logits, _ = post(embedding_engine, "/classify", {"text": "great movie"})
    assert status == 200 and len(logits["embedding"]) == 2
    status, body, raw = post(embedding_engine, "/v1/classify", {"input": "great movie", "model": "whatever"})
    assert status == 200
    assert list(json.loads(raw, object_pairs_hook=lambda p: [k for k, _ in p])) == [
        "id", "object", "created", "model", "data", "usage"]
    assert re.fullmatch(r"classify-[0-9a-f]{32}", body["id"]) and body["object"] == "list"
    assert isinstance(body["created"], int) and body["model"] == "served-emb"
    item = body["data"][0]
    assert list(item) == ["index", "label", "probs", "num_classes"] and item["num_classes"] == 2
    l0, l1 = logits["embedding"]
    e0, e1 = math.exp(l0), math.exp(l1)
    assert item["probs"] == pytest.approx([e0 / (e0 + e1), e1 / (e0 + e1)])
    assert item["label"] == ("LABEL_1" if l1 > l0 else "LABEL_0")
    assert body["usage"] == {"prompt_tokens": 2, "total_tokens": 2, "completion_tokens": 0,
                             "prompt_tokens_details": None}
    batch = post(embedding_engine, "/v1/classify", {"input": ["great movie", "bad"]})[1]
    assert [d["index"] for d in batch["data"]] == [0, 1] and batch["data"][0]["probs"] == item["probs"]
    flat_error(*post(embedding_engine, "/v1/classify", {"input": " "})[:2], "Input cannot be empty or whitespace only")
    flat_error(*post(embedding_engine, "/v1/classify", {"input": ["a", ""]})[:2],
               "Input at index 1 cannot be empty or whitespace only")
    flat_error(*post(embedding_engine, "/v1/classify", {"input": [1, -1]})[:2],
               "Token ID at index 1 must be non-negative")
    pydantic_error(*post(embedding_engine, "/v1/classify", {"input": [[1]]})[:2], "ClassifyRequest", "input")


def test_generation_routes_on_an_embedding_model(embedding_engine):
    refusal = {"object": "error", "message": "Internal server error: 'text'", "type": "InternalServerError",
               "param": None, "code": 500}
    chat = {"messages": [{"role": "user", "content": "hi"}]}
    assert post(embedding_engine, "/v1/chat/completions", chat)[:2] == (500, refusal)
    assert post(embedding_engine, "/v1/completions", {"prompt": "hi"})[:2] == (500, refusal)
    # Request validation still comes first.
    flat_error(*post(embedding_engine, "/v1/chat/completions", {"messages": []})[:2], "Messages cannot be empty.")
    status, body, _ = post(embedding_engine, "/generate", {"text": "hi"})
    assert status == 200 and list(body) == ["embedding", "meta_info"] and len(body["embedding"]) == 8
    assert embedding_engine.get_json("/server_info")[1]["is_embedding"] is True


def test_generation_mode_keeps_the_native_answer_on_pooling_paths(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    for path in POOLING_PATHS + ["/generate"]:
        for method in ("GET", "POST"):
            status, _, raw = engine.request(method, path, {"input": "hi", "query": "q", "documents": ["d"]})
            assert (status, json.loads(raw)) == (200, {"text": "fake-sglang served " + path, "route": path})
    assert engine.post_json("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]})[0] == 200
    assert engine.get_json("/server_info")[1]["is_embedding"] is False
