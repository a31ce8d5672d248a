"""Helpers for the black-box tests of fake-sglang: run the binary on a free loopback port."""
import http.client
import json
import os
import signal
import socket
import subprocess
import time

from harness import free_port_pair


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN_DIR = os.environ.get("SHIM_BIN_DIR", os.path.join(REPO, "build", "bin"))
BINARY = os.path.join(BIN_DIR, "fake-sglang")


class Engine:
    def __init__(self, args, env, log_path):
        self.port = free_port_pair()
        self.args = ["--model-path", "org/test-model", "--port", str(self.port)] + list(args)
        full_env = dict(os.environ)
        full_env.update(env)
        self.log_path = log_path
        self.log = open(log_path, "wb")
        self.proc = subprocess.Popen([BINARY] + self.args, env=full_env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_listening(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("fake-sglang exited early:\n" + self.read_log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        raise AssertionError("fake-sglang did not listen:\n" + self.read_log())

    def wait_log(self, text, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.read_log():
                return
            time.sleep(0.02)
        raise AssertionError("log line %r not seen:\n%s" % (text, self.read_log()))

    def read_log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def conn(self, timeout=10.0):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=10.0):
        """Returns (status, headers dict, body bytes) on a fresh connection."""
        c = self.conn(timeout)
        try:
            hdrs = dict(headers or {})
            data = None
            if body is not None:
                data = body if isinstance(body, (bytes, str)) else json.dumps(body)
                hdrs.setdefault("Content-Type", "application/json")
            c.request(method, path, body=data, headers=hdrs)
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def post_json(self, path, body, headers=None, timeout=10.0):
        status, hdrs, data = self.request("POST", path, body, headers, timeout)
        return status, (json.loads(data) if data else None)

    def get_json(self, path, headers=None):
        status, hdrs, data = self.request("GET", path, None, headers)
        return status, (json.loads(data) if data else None)

    def metric(self, name, labels=None):
        status, _, data = self.request("GET", "/metrics")
        assert status == 200
        total = None
        for line in data.decode().splitlines():
            if line.startswith(name + "{") and (labels is None or labels in line):
                total = (total or 0.0) + float(line.rsplit(" ", 1)[1])
        return total

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        self.log.close()


def run_cli(*args, env=None, timeout=10):
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([BINARY] + list(args), capture_output=True, text=True, timeout=timeout, env=full_env)
