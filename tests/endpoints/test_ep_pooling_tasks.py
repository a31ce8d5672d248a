"""vLLM's pooling routes when the flags name the pooling task (issue 14, item 1).

vLLM serves /v1/embeddings only for an embedding model and /classify only for a
classification model (vLLM @9aaf83ef vllm/entrypoints/pooling/factories.py, by
model_config.get_pooling_task), and scores an embedding model as a bi-encoder: the cosine of
the query's and each document's embeddings, the queries embedded first in one batch
(vllm/entrypoints/pooling/scoring/io_processor.py, BiEncoderIOProcessor). SGLang's own
scoring routes run a cross-encoder, so for such a model the front door asks SGLang's
/v1/embeddings and computes the cosines.
"""

import json
import math

import pytest

from endpoints_helpers import VLLM_ERROR_KEYS, recorded, recording_shim
from harness import DEFAULT_MODEL
from test_ep_security import KEY, raw_request, spellings

DOCS = ["the cat sat on the mat", "stock markets fell", "a cat and a dog", "cats purr"]


@pytest.fixture(scope="module")
def embed_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--convert", "embed", "--api-key", KEY])


@pytest.fixture(scope="module")
def classify_shim(module_shims, tmp_path_factory):
    return recording_shim(module_shims, tmp_path_factory, args=["--runner", "pooling", "--convert", "classify"])


AUTH = {"Authorization": "Bearer " + KEY}


def forwarded(shim, since=0):
    return [r for r in recorded(shim.record)[since:] if "x-forwarded-for" in r["headers"]]


def embeddings(shim, texts):
    r = shim.post("/v1/embeddings", {"input": texts, "encoding_format": "float"}, headers=AUTH)
    assert r.status == 200, r.body
    return [d["embedding"] for d in sorted(r.json()["data"], key=lambda d: d["index"])]


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / max(math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)), 1e-8)


def assert_vllm_error(response, status):
    assert response.status == status, (response.status, response.body[:300])
    body = response.json()
    assert list(body) == ["error"] and list(body["error"]) == VLLM_ERROR_KEYS, body


def test_score_on_an_embedding_model_is_the_cosine_of_its_embeddings(embed_shim):
    vectors = embeddings(embed_shim, ["cat"] + DOCS)
    mark = len(recorded(embed_shim.record))
    r = embed_shim.post("/score", {"text_1": "cat", "text_2": DOCS}, headers=AUTH)
    assert r.status == 200, r.body
    body = r.json()
    assert list(body) == ["id", "object", "created", "model", "data", "usage"]
    assert body["model"] == DEFAULT_MODEL and body["id"].startswith("score-")
    assert [d["index"] for d in body["data"]] == list(range(len(DOCS)))
    expected = [cosine(vectors[0], v) for v in vectors[1:]]
    assert [d["score"] for d in body["data"]] == pytest.approx(expected, abs=1e-9)
    assert body["usage"]["prompt_tokens"] > 0
    # One embeddings request, queries first; SGLang's cross-encoder route is never asked.
    sent = forwarded(embed_shim, mark)
    assert [x["route_path"] for x in sent] == ["/v1/embeddings"]
    assert json.loads(sent[0]["body"])["input"] == ["cat"] + DOCS


def test_score_pairs_many_to_many_on_an_embedding_model(embed_shim):
    vectors = embeddings(embed_shim, ["cat", "stock", DOCS[0], DOCS[1]])
    r = embed_shim.post("/v1/score", {"queries": ["cat", "stock"], "documents": DOCS[:2]}, headers=AUTH)
    assert r.status == 200, r.body
    expected = [cosine(vectors[0], vectors[2]), cosine(vectors[1], vectors[3])]
    assert [d["score"] for d in r.json()["data"]] == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("path", ["/rerank", "/v1/rerank", "/v2/rerank"])
def test_rerank_on_an_embedding_model_sorts_by_cosine(embed_shim, path):
    vectors = embeddings(embed_shim, ["cat"] + DOCS)
    r = embed_shim.post(path, {"query": "cat", "documents": DOCS, "top_n": 3}, headers=AUTH)
    assert r.status == 200, r.body
    body = r.json()
    assert list(body) == ["id", "model", "usage", "results"]
    scores = sorted(((cosine(vectors[0], v), i) for i, v in enumerate(vectors[1:])), key=lambda x: -x[0])[:3]
    assert [x["index"] for x in body["results"]] == [i for _, i in scores]
    assert [x["relevance_score"] for x in body["results"]] == pytest.approx([s for s, _ in scores], abs=1e-9)
    for x in body["results"]:
        assert x["document"] == {"text": DOCS[x["index"]], "multi_modal": None}


@pytest.mark.parametrize("path,body,status", [
    ("/score", {"text_1": ["a", "b"], "text_2": ["c", "d", "e"]}, 400),
    ("/rerank", {"query": "q", "documents": []}, 400),
    ("/rerank", {"query": "q", "documents": [{"content": []}]}, 400),
    ("/v1/score", "not an object", 400),
    # The stand-in refuses a whitespace-only input as SGLang's embeddings route does.
    ("/v1/score", {"text_1": "q", "text_2": ["ok", "   "]}, 400),
    ("/v1/rerank", {"query": "q", "documents": ["a"], "model": "no-such-model"}, 404),
])
def test_bad_scoring_requests_get_vllms_error(embed_shim, path, body, status):
    assert_vllm_error(embed_shim.post(path, body, headers=AUTH), status)
    assert embed_shim.post("/score", {"text_1": "a", "text_2": "b"}, headers=AUTH).status == 200


def test_an_embedding_model_has_no_classify_route(embed_shim):
    mark = len(recorded(embed_shim.record))
    r = embed_shim.post("/classify", {"input": "x"}, headers=AUTH)
    assert r.status == 404 and r.json() == {"detail": "Not Found"}
    assert not forwarded(embed_shim, mark)


def test_the_bi_encoder_routes_keep_the_key_gate_under_every_spelling(embed_shim):
    payload = json.dumps({"query": "q", "documents": ["d"], "text_1": "a", "text_2": "b"}).encode()
    for path in ["/v1/score", "/v1/rerank", "/v2/rerank"]:
        mark = len(recorded(embed_shim.record))
        for target, refused in spellings(path):
            status, _ = raw_request(embed_shim.port, "POST", target, headers={"Content-Type": "application/json"},
                                    body=payload)
            assert status == (400 if refused else 401), (target, status)
        assert not forwarded(embed_shim, mark), path


def test_a_classification_model_has_no_embeddings_route(classify_shim):
    mark = len(recorded(classify_shim.record))
    r = classify_shim.post("/v1/embeddings", {"input": "x"})
    assert r.status == 404 and r.json() == {"detail": "Not Found"}
    assert not forwarded(classify_shim, mark)


def test_a_classification_model_scores_with_sglangs_cross_encoder(classify_shim):
    mark = len(recorded(classify_shim.record))
    r = classify_shim.post("/score", {"text_1": "cat", "text_2": DOCS[:2]})
    assert r.status == 200, r.body
    assert len(r.json()["data"]) == 2
    sent = forwarded(classify_shim, mark)
    assert [x["route_path"] for x in sent] == ["/encode"]
    assert json.loads(sent[0]["body"])["is_cross_encoder_request"] is True
    r = classify_shim.post("/classify", {"input": ["good"]})
    assert r.status == 200 and r.json()["data"][0]["index"] == 0
