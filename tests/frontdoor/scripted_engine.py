#!/usr/bin/env python3
"""An engine whose /health and /v1/models answers a test sets at run time.

Started by the shim as VLLM_SGLANG_LAUNCHER (it receives SGLang's argv and
serves on its --host/--port). The fake-sglang stand-in cannot make /health
succeed while /v1/models fails, flip /health back and forth, or stop listening
while staying alive; the front door's readiness, rise/fall and "engine
unreachable" behaviour need exactly that.

$SCRIPTED_ENGINE_CONTROL names a JSON file re-read on every request:
  {"health": 200, "models": 200, "listen": true, "exit": null}
  health/models: status codes to answer; listen: false closes the listener
  (the process stays alive until SIGTERM); exit: N exits with status N.
$SCRIPTED_ENGINE_LOG gets one JSON line per request: {"path", "status"}.
"""

import http.server
import json
import os
import signal
import sys
import threading
import time

CONTROL = os.environ["SCRIPTED_ENGINE_CONTROL"]
LOG = os.environ.get("SCRIPTED_ENGINE_LOG")
_log_lock = threading.Lock()


def control():
    try:
        with open(CONTROL) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def argument(name, default):
    argv = sys.argv[1:]
    for i, word in enumerate(argv):
        if word == name and i + 1 < len(argv):
            return argv[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    return default


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        # Logged before answering: once the shim has seen an answer, the log holds it.
        if LOG:
            with _log_lock, open(LOG, "a") as f:
                f.write(json.dumps({"path": self.path, "status": status}) + "\n")
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        state = control()
        if self.path == "/health":
            status = int(state.get("health", 200))
            self.answer(status, {} if status == 200 else {"error": "scripted failure"})
        elif self.path == "/v1/models":
            status = int(state.get("models", 200))
            model = argument("--served-model-name", argument("--model-path", "scripted"))
            self.answer(status, {"object": "list", "data": [{"id": model, "object": "model", "owned_by": "sglang",
                                                             "root": model, "max_model_len": 4096}]}
                        if status == 200 else {"error": "scripted failure"})
        else:
            self.answer(200, {"path": self.path})

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.answer(200, {"path": self.path})


def main():
    server = http.server.ThreadingHTTPServer((argument("--host", "127.0.0.1"), int(argument("--port", "30000"))),
                                             Handler)
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    listening = True
    deadline = time.monotonic() + 300  # never outlive a forgotten test
    while time.monotonic() < deadline:
        state = control()
        if state.get("exit") is not None:
            os._exit(int(state["exit"]))
        if listening and state.get("listen", True) is False:
            server.shutdown()
            server.server_close()
            listening = False
        time.sleep(0.02)
    os._exit(3)


if __name__ == "__main__":
    main()
