"""Startup, /health, OpenAI routes, validation, LoRA, metrics, auth and admin routes of fake-sglang,
each against SGLang's behaviour (python/sglang/srt/entrypoints/http_server.py and openai/serving_*.py)."""
import json
import socket
import time

CHAT = {"model": "org/test-model", "messages": [{"role": "user", "content": "tell me a story"}]}
FAST_HEALTH = {"SGLANG_ENABLE_HEALTH_ENDPOINT_GENERATION": "0"}


def sse_events(raw):
    text = raw.decode()
    assert text.endswith("data: [DONE]\n\n")
    events = [e for e in text.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    return [json.loads(e[6:]) for e in events[:-1]]


def test_http_server_models_answer_during_warmup_health_503_until_ready(start_engine):
    engine = start_engine(env={"FAKE_SGLANG_WARMUP_DELAY": "0.8", **FAST_HEALTH}, ready=False)
    assert engine.request("GET", "/health")[0] == 503
    status, models = engine.get_json("/v1/models")
    assert status == 200 and models["data"][0]["id"] == "org/test-model"
    assert engine.get_json("/model_info")[0] == 200
    engine.wait_log("The server is fired up and ready to roll!")
    assert engine.request("GET", "/health")[0] == 200


def test_http_server_health_takes_one_second_by_default_and_health_generate_stays_deep(start_engine):
    engine = start_engine(env={"FAKE_SGLANG_HEALTH_DELAY": "0.4", **FAST_HEALTH})
    t0 = time.monotonic()
    assert engine.request("GET", "/health")[0] == 200
    assert time.monotonic() - t0 < 0.3  # generation disabled for /health only
    t0 = time.monotonic()
    assert engine.request("GET", "/health_generate")[0] == 200
    assert time.monotonic() - t0 >= 0.4
    default = start_engine()
    t0 = time.monotonic()
    assert default.request("GET", "/health")[0] == 200
    assert time.monotonic() - t0 >= 1.0  # asyncio.sleep(1) before the first check


def test_serving_chat_non_streaming_shape(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    status, body = engine.post_json("/v1/chat/completions", {**CHAT, "n": 2, "max_tokens": 4, "logprobs": True,
                                                              "top_logprobs": 2, "unknown_field": 1})
    assert status == 200
    assert body["object"] == "chat.completion" and body["model"] == "org/test-model"
    assert [c["index"] for c in body["choices"]] == [0, 1]
    choice = body["choices"][0]
    assert choice["finish_reason"] == "length" and choice["message"]["role"] == "assistant"
    assert len(choice["message"]["content"].split()) == 4
    assert len(choice["logprobs"]["content"]) == 4 and len(choice["logprobs"]["content"][0]["top_logprobs"]) == 2
    assert body["usage"] == {"prompt_tokens": 4, "completion_tokens": 8, "total_tokens": 12,
                             "prompt_tokens_details": None}
    again = engine.post_json("/v1/chat/completions", {**CHAT, "n": 2, "max_tokens": 4})[1]
    assert again["choices"][0]["message"]["content"] == choice["message"]["content"]  # deterministic
    words = choice["message"]["content"].split()
    stopped = engine.post_json("/v1/chat/completions", {**CHAT, "max_tokens": 4, "stop": [" " + words[2]]})[1]
    assert stopped["choices"][0]["finish_reason"] == "stop"
    assert stopped["choices"][0]["message"]["content"] == " ".join(words[:2])


def test_serving_chat_streaming_sse_with_usage(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    status, headers, raw = engine.request("POST", "/v1/chat/completions",
                                          {**CHAT, "max_tokens": 3, "stream": True,
                                           "stream_options": {"include_usage": True}})
    assert status == 200
    assert headers["content-type"].startswith("text/event-stream")
    assert headers["transfer-encoding"] == "chunked"
    events = sse_events(raw)
    assert events[0]["choices"][0]["delta"]["role"] == "assistant"
    content = "".join(e["choices"][0]["delta"].get("content") or "" for e in events if e["choices"])
    assert len(content.split()) == 3
    assert events[-2]["choices"][0]["finish_reason"] == "length"
    assert events[-1]["choices"] == [] and events[-1]["usage"]["completion_tokens"] == 3


def test_serving_completions_streaming_and_echo(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    status, body = engine.post_json("/v1/completions", {"prompt": "once upon", "max_tokens": 5, "echo": True})
    assert status == 200 and body["object"] == "text_completion"
    assert body["choices"][0]["text"].startswith("once upon")
    raw = engine.request("POST", "/v1/completions", {"prompt": "once upon", "max_tokens": 5, "stream": True})[2]
    events = sse_events(raw)
    assert len("".join(e["choices"][0]["text"] for e in events).split()) == 5


def test_serving_chat_tool_calls_when_parser_set(start_engine):
    tools = [{"type": "function", "function": {"name": "get_weather", "parameters": {
        "type": "object", "properties": {"city": {"type": "string"}, "days": {"type": "integer"}}}}}]
    plain = start_engine(env=FAST_HEALTH)
    assert plain.post_json("/v1/chat/completions", {**CHAT, "tools": tools})[1]["choices"][0]["finish_reason"] == "stop"
    engine = start_engine("--tool-call-parser", "llama3", env=FAST_HEALTH)
    body = engine.post_json("/v1/chat/completions", {**CHAT, "tools": tools})[1]
    choice = body["choices"][0]
    assert choice["finish_reason"] == "tool_calls" and choice["message"]["content"] is None
    call = choice["message"]["tool_calls"][0]
    assert call["function"]["name"] == "get_weather" and call["id"].startswith("call_")
    assert json.loads(call["function"]["arguments"]) == {"city": "sample", "days": 1}
    none = engine.post_json("/v1/chat/completions", {**CHAT, "tools": tools, "tool_choice": "none"})[1]
    assert none["choices"][0]["finish_reason"] == "stop"
    events = sse_events(engine.request("POST", "/v1/chat/completions", {**CHAT, "tools": tools, "stream": True})[2])
    assert any("tool_calls" in e["choices"][0]["delta"] for e in events)
    assert events[-1]["choices"][0]["finish_reason"] == "tool_calls"


def test_http_server_validation_errors_are_flat_400s(start_engine):
    engine = start_engine(env=FAST_HEALTH)
    status, body = engine.post_json("/v1/chat/completions", {**CHAT, "logprobs": None})
    assert status == 400 and body["object"] == "error" and body["code"] == 400 and "error" not in body
    status, body = engine.post_json("/v1/chat/completions", {"messages": []})
    assert (status, body["message"]) == (400, "Messages cannot be empty.")
    assert engine.request("POST", "/v1/chat/completions", "{bad", {"Content-Type": "application/json"})[0] == 400
    assert engine.request("POST", "/v1/chat/completions", json.dumps(CHAT), {"Content-Type": "text/plain"})[0] == 400
    legacy = start_engine(env={"FAKE_SGLANG_LEGACY_422": "1", **FAST_HEALTH})
    status, body = legacy.post_json("/v1/chat/completions", {**CHAT, "logprobs": True, "top_logprobs": 1})
    assert status == 422 and isinstance(body["detail"], list)


def test_lora_adapters_load_list_select_unload(start_engine):
    engine = start_engine("--enable-lora", "--lora-paths", "sql=/adapters/sql", env=FAST_HEALTH)
    ids = {m["id"]: m for m in engine.get_json("/v1/models")[1]["data"]}
    assert ids["sql"]["parent"] == "org/test-model" and ids["sql"]["root"] == "/adapters/sql"
    status, body = engine.post_json("/load_lora_adapter", {"lora_name": "chat", "lora_path": "/adapters/chat"})
    assert status == 200 and body["success"] is True and "chat" in body["loaded_adapters"]
    status, body = engine.post_json("/load_lora_adapter", {"lora_name": "chat", "lora_path": "/adapters/chat"})
    assert status == 400 and body["success"] is False and body["error_message"]
    text = engine.post_json("/v1/chat/completions", {**CHAT, "model": "org/test-model:chat"})[1]
    assert text["choices"][0]["message"]["content"].startswith("[lora:chat]")
    text = engine.post_json("/v1/chat/completions", {**CHAT, "lora_path": "sql"})[1]
    assert text["choices"][0]["message"]["content"].startswith("[lora:sql]")
    text = engine.post_json("/v1/chat/completions", {**CHAT, "model": "chat"})[1]
    assert not text["choices"][0]["message"]["content"].startswith("[lora:")  # base model, as in SGLang
    assert engine.post_json("/unload_lora_adapter", {"lora_name": "chat"})[0] == 200
    assert engine.post_json("/unload_lora_adapter", {"lora_name": "chat"})[0] == 400
    assert "chat" not in {m["id"] for m in engine.get_json("/v1/models")[1]["data"]}


def test_metrics_only_with_enable_metrics_and_one_series_per_tp_rank(start_engine):
    plain = start_engine(env=FAST_HEALTH)
    assert plain.get_json("/metrics") == (404, {"detail": "Not Found"})
    engine = start_engine("--enable-metrics", "--tp-size", "2", env=FAST_HEALTH)
    engine.post_json("/v1/chat/completions", {**CHAT, "max_tokens": 5})
    engine.post_json("/v1/chat/completions", {**CHAT, "max_tokens": 5})
    status, headers, data = engine.request("GET", "/metrics")
    assert headers["content-type"].startswith("text/plain")
    text = data.decode()
    assert text.count("sglang:num_running_reqs{") == 2
    assert 'tp_rank="1"' in text and 'engine_type="unified"' in text
    assert engine.metric("sglang:generation_tokens_total") == 10
    assert engine.metric("sglang:prompt_tokens_total") == 8
    assert engine.metric("sglang:cache_hit_rate", 'tp_rank="0"') == 0.5
    assert "sglang:e2e_request_latency_seconds_bucket{" in text


def le_values(text, histogram):
    """The `le` labels of the first series of a histogram, in order."""
    values = []
    for line in text.splitlines():
        if line.startswith(histogram + "_bucket{"):
            values.append(line.split('le="', 1)[1].split('"', 1)[0])
            if values[-1] == "+Inf":
                return values
    return values


def test_metrics_bucket_flags_set_the_le_values(start_engine):
    # SGLang's --bucket-* flags (server_args.py) reach TokenizerMetricsCollector
    # (metrics/collector.py), whose prometheus_client histograms write `le` with floatToGoString.
    from prometheus_client.utils import floatToGoString
    bounds = {
        "sglang:time_to_first_token_seconds": ["0.001", "0.123456789", "2560"],
        "sglang:inter_token_latency_seconds": ["0.01", "1234567.5", "inf"],
        "sglang:e2e_request_latency_seconds": ["1e-05", "7680"],
    }
    # A repeated flag: the last one wins (argparse's store).
    engine = start_engine("--enable-metrics",
                          "--bucket-time-to-first-token", *bounds["sglang:time_to_first_token_seconds"],
                          "--bucket-inter-token-latency", *bounds["sglang:inter_token_latency_seconds"],
                          "--bucket-e2e-request-latency=7680",
                          "--bucket-e2e-request-latency", *bounds["sglang:e2e_request_latency_seconds"],
                          env=FAST_HEALTH)
    engine.post_json("/v1/chat/completions", {**CHAT, "max_tokens": 3})
    text = engine.request("GET", "/metrics")[2].decode()
    for histogram, given in bounds.items():
        want = [floatToGoString(float(b)) for b in given]
        if want[-1] != "+Inf":
            want.append("+Inf")
        assert le_values(text, histogram) == want, histogram
    # The scheduler's queue-time histogram keeps SGLang's bounds.
    assert le_values(text, "sglang:queue_time_seconds")[:2] == ["0.1", "0.2"]
    assert engine.metric("sglang:time_to_first_token_seconds_count") == 1
    assert engine.get_json("/server_info")[1]["bucket_e2e_request_latency"] == [1e-05, 7680.0]
    plain = start_engine("--enable-metrics", env=FAST_HEALTH)
    assert "2560.0" not in le_values(plain.request("GET", "/metrics")[2].decode(),
                                     "sglang:time_to_first_token_seconds")


def test_metrics_follow_load_running_and_queued(start_engine):
    engine = start_engine("--enable-metrics", "--max-running-requests", "1",
                          env={"FAKE_SGLANG_TTFT_MS": "600", **FAST_HEALTH})
    conns = []
    for _ in range(2):
        c = engine.conn()
        c.request("POST", "/v1/chat/completions", json.dumps(CHAT), {"Content-Type": "application/json"})
        conns.append(c)
    time.sleep(0.3)
    assert engine.metric("sglang:num_running_reqs") == 1
    assert engine.metric("sglang:num_queue_reqs") == 1
    assert engine.metric("sglang:token_usage") > 0
    assert engine.get_json("/v1/loads")[1]["loads"][0]["num_waiting_reqs"] == 1
    for c in conns:
        assert c.getresponse().status == 200
        c.close()
    assert engine.metric("sglang:num_running_reqs") == 0


def test_client_disconnect_aborts_the_request(start_engine):
    engine = start_engine("--enable-metrics", env={"FAKE_SGLANG_TTFT_MS": "50", "FAKE_SGLANG_ITL_MS": "200",
                                                    **FAST_HEALTH})
    s = socket.create_connection(("127.0.0.1", engine.port))
    body = json.dumps({**CHAT, "stream": True, "max_tokens": 50, "ignore_eos": True})
    s.sendall(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: %d\r\n\r\n%s" % (len(body), body)).encode())
    s.settimeout(5)
    received = b""
    while b"data: " not in received:  # headers come first, then the first event after the TTFT
        chunk = s.recv(65536)
        assert chunk, "connection closed before the first event"
        received += chunk
    s.close()
    deadline = time.monotonic() + 3
    while engine.metric("sglang:num_aborted_requests_total") != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert engine.metric("sglang:num_aborted_requests_total") == 1
    assert engine.metric("sglang:num_running_reqs") == 0


def test_auth_api_key_everywhere_but_health_and_metrics(start_engine):
    engine = start_engine("--api-key", "sekret", "--enable-metrics", env=FAST_HEALTH)
    assert engine.get_json("/v1/models") == (401, {"error": "Unauthorized"})
    assert engine.post_json("/v1/chat/completions", CHAT)[0] == 401
    assert engine.get_json("/v1/models", {"Authorization": "Bearer sekret"})[0] == 200
    assert engine.request("GET", "/health")[0] == 200
    assert engine.request("GET", "/metrics")[0] == 200
    assert engine.post_json("/flush_cache", {})[0] == 401


def test_admin_routes_answer_and_memory_release_blocks_generation(start_engine):
    engine = start_engine("--enable-memory-saver", env=FAST_HEALTH)
    for path in ("/start_profile", "/update_weights_from_disk", "/slow_down"):
        assert engine.post_json(path, {})[0] == 200
    assert engine.request("POST", "/flush_cache")[0] == 200
    assert engine.request("POST", "/release_memory_occupation", "{}", {"Content-Type": "application/json"})[0] == 200
    assert engine.post_json("/v1/chat/completions", CHAT)[0] == 503
    assert engine.request("POST", "/resume_memory_occupation")[0] == 200
    assert engine.post_json("/v1/chat/completions", CHAT)[0] == 200
    status, body = engine.post_json("/tokenize", {"prompt": "the quick fox"})
    assert status == 200 and body["count"] == 3
    assert engine.post_json("/detokenize", {"tokens": body["tokens"]})[1]["text"] == "the quick fox"
    assert engine.get_json("/v1/models/nope")[0] == 404


def test_keepalive_idle_connections_closed_like_uvicorn(start_engine):
    engine = start_engine(env={"FAKE_SGLANG_KEEPALIVE_TIMEOUT": "0.3", **FAST_HEALTH})
    c = engine.conn()
    c.request("GET", "/v1/models")
    assert c.getresponse().read()
    c.request("GET", "/v1/models")  # keep-alive reuse works within the timeout
    assert c.getresponse().status == 200
    time.sleep(0.6)
    assert c.sock.recv(1) == b""  # the server closed the idle connection
    c.close()


def test_record_file_holds_each_request(start_engine, tmp_path):
    path = tmp_path / "record.jsonl"
    engine = start_engine(env={"FAKE_SGLANG_RECORD": str(path), **FAST_HEALTH})
    engine.post_json("/v1/chat/completions", {**CHAT, "logprobs": False}, {"X-Test": "1"})
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    chat = [r for r in lines if r["path"] == "/v1/chat/completions"][0]
    assert chat["method"] == "POST" and chat["headers"]["x-test"] == "1"
    assert json.loads(chat["body"])["logprobs"] is False
