"""Baseline (d), the original tool's middleware, rebuilt for the benchmark.

A FastAPI app on port+2 between haproxy and SGLang (port+1). It strips vLLM-only
parameters that SGLang rejects from POST /v1/chat/completions bodies and passes
every request through unchanged otherwise, streaming responses back with an
httpx AsyncClient (configuration (d) of docs/benchmarks.md, which describes the
whole original design: haproxy.cfg here, this middleware, SGLang behind them).

usage: python3 vllm_middleware.py --port PORT --backend-port PORT
"""

import argparse
import json

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse
from starlette.background import BackgroundTask

STRIP_PARAMS = {"logprobs", "top_logprobs"}

# Headers that belong to one hop and must not be forwarded as they are.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
    "trailer", "upgrade", "host", "content-length",
}


def build_app(backend_url):
    app = FastAPI()
    # One shared client with keep-alive to the engine. No pool cap: httpx's
    # default of 100 connections would queue the benchmark's 1,000 streams
    # and measure the pool rather than the design.
    client = httpx.AsyncClient(
        base_url=backend_url,
        timeout=httpx.Timeout(None),
        limits=httpx.Limits(max_connections=None, max_keepalive_connections=2000),
    )

    @app.on_event("shutdown")
    async def close_client():
        await client.aclose()

    @app.api_route("/{path:path}", methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
    async def proxy(request: Request, path: str):
        body = await request.body()
        if request.method == "POST" and request.url.path == "/v1/chat/completions" and body:
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            if isinstance(payload, dict) and STRIP_PARAMS.intersection(payload):
                for name in STRIP_PARAMS:
                    payload.pop(name, None)
                body = json.dumps(payload).encode()

        headers = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
        upstream = client.build_request(
            request.method, request.url.path, params=request.url.query, headers=headers, content=body
        )
        response = await client.send(upstream, stream=True)
        out_headers = {k: v for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP}
        return StreamingResponse(
            response.aiter_raw(),
            status_code=response.status_code,
            headers=out_headers,
            background=BackgroundTask(response.aclose),
        )

    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--backend-port", type=int, required=True)
    args = parser.parse_args()
    app = build_app(f"http://127.0.0.1:{args.backend_port}")
    # Access logs off: logging every request would only make the baseline slower.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                backlog=4096, timeout_keep_alive=60)


if __name__ == "__main__":
    main()
