#!/usr/bin/env python3
"""A minimal engine that fails mid-stream the way SGLang does, for the shim's SSE error relay.

Started by the shim as its launcher (VLLM_SGLANG_LAUNCHER="python3 <this file>"), so it gets SGLang's argv and
listens on --host/--port. /health and /v1/models answer so the shim becomes ready. A streamed
POST /v1/chat/completions sends one ordinary chunk, then an error frame in SGLang's shape
(SGLang @8905cbd4 entrypoints/openai/serving_base.py create_streaming_error_response:
`data: {"error": {object, message, type, param, code}}`; older versions sent the flat
ErrorResponse), then `data: [DONE]`. ENGINE_ERROR_SHAPE selects "nested" (default) or "flat". A non-streamed request
gets SGLang's flat 400 body. Stops on SIGTERM; exits on its own after 120 s at the latest.
"""

import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def arg(name, default):
    argv = sys.argv[1:]
    for i, word in enumerate(argv):
        if word == name and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return default


SGLANG_ERROR = {"object": "error", "message": "Generation failed: sequence too long for the KV cache",
                "type": "BadRequestError", "param": None, "code": 400}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_json(self, status, obj):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/v1/models":
            self.send_json(200, {"object": "list", "data": [{"id": arg("--served-model-name", "m"), "object": "model",
                                                              "created": 0, "owned_by": "sglang", "root": "m",
                                                              "max_model_len": 4096}]})
        else:
            self.send_json(404, {"detail": "Not Found"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        if self.path != "/v1/chat/completions":
            self.send_json(404, {"detail": "Not Found"})
            return
        if not body.get("stream"):
            self.send_json(400, SGLANG_ERROR)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        first = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": "m",
                 "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Hi"}, "finish_reason": None}]}
        error = SGLANG_ERROR if os.environ.get("ENGINE_ERROR_SHAPE") == "flat" else {"error": SGLANG_ERROR}
        for frame in (f"data: {json.dumps(first)}\n\n", f"data: {json.dumps(error)}\n\n", "data: [DONE]\n\n"):
            data = frame.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


def main():
    server = ThreadingHTTPServer((arg("--host", "127.0.0.1"), int(arg("--port", "30000"))), Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    threading.Timer(120, server.shutdown).start()
    server.serve_forever(poll_interval=0.1)
    server.server_close()
    os._exit(0)  # the 120 s timer thread must not keep the process alive


if __name__ == "__main__":
    main()
