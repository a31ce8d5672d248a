-- wrk script: a small non-streaming chat completion, as a client of SGLang sends it.
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"bench-model","messages":[{"role":"user","content":"Say hello"}],"max_tokens":8}'
