"""A real Prometheus (Debian's package `prometheus`) scraping one target, for black-box tests, and a small reading of
PromQL: which labels of the series a query reads are still on the series it returns."""

import json
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

from harness import SLOW, free_port_pair

PROMETHEUS = shutil.which("prometheus")


class Prometheus:
    """One Prometheus process with a fresh TSDB in tmp_dir, scraping `target` every second as job `job`, with
    `labels` added to every series the way a Prometheus Operator ServiceMonitor adds its target labels."""

    def __init__(self, tmp_dir, target, job, labels):
        self.tmp_dir = tmp_dir
        self.job = job
        self.proc = None
        self.port = None
        self.log_path = tmp_dir / "prometheus.log"
        self.config_path = tmp_dir / "prometheus.yml"
        config = {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s", "evaluation_interval": "1s"},
            "scrape_configs": [{"job_name": job, "metrics_path": "/metrics",
                                "static_configs": [{"targets": [target], "labels": labels}]}],
        }
        self.config_path.write_text(json.dumps(config, indent=2) + "\n")  # JSON is YAML

    def launch(self):
        """Starts the process; wait_ready() waits for it. Start several side by side: Prometheus 2.42 applies its
        targets on a 5 s timer, so its first scrape comes about 5 s after it starts."""
        assert PROMETHEUS, "prometheus missing: run scripts/install-deps.sh (Debian package prometheus)"
        self.port = free_port_pair()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [PROMETHEUS, f"--config.file={self.config_path}", f"--storage.tsdb.path={self.tmp_dir / 'tsdb'}",
                 f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self

    def wait_ready(self, timeout=30.0):
        deadline = time.monotonic() + timeout * SLOW
        attempts = 1
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                # The port was picked before Prometheus bound it: another process may have taken it first.
                if attempts < 3 and "address already in use" in self.logs():
                    attempts += 1
                    self.launch()
                    continue
                break
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/-/ready", timeout=2) as r:
                    if r.status == 200:
                        return self
            except (OSError, urllib.error.URLError):
                pass
            time.sleep(0.05)
        raise AssertionError(f"prometheus did not become ready:\n{self.logs()}")

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10 * SLOW)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def logs(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def query(self, expr, at=None, result_type="vector"):
        """Instant query (/api/v1/query) at `at` (Unix seconds) or now: the result list of a vector (of a matrix for
        a range selector)."""
        params = {"query": expr}
        if at is not None:
            params["time"] = f"{at:.3f}"
        url = f"http://127.0.0.1:{self.port}/api/v1/query?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=10 * SLOW) as r:
                reply = json.load(r)
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{expr!r}: HTTP {e.code} {e.read().decode(errors='replace')}") from None
        assert reply["status"] == "success", reply
        assert reply["data"]["resultType"] == result_type, (expr, reply["data"]["resultType"])
        return reply["data"]["result"]

    def value(self, expr, at=None):
        """The single value of a one-series query, None when it is empty."""
        result = self.query(expr, at)
        assert len(result) <= 1, (expr, result)
        return float(result[0]["value"][1]) if result else None

    def fewest_samples(self, selector):
        """The fewest samples any series of `selector` has (0 when there is none)."""
        series = self.query(f"{selector}[1h]", result_type="matrix")
        return min((len(s["values"]) for s in series), default=0)

    def scrapes(self):
        """How many times Prometheus has scraped the target."""
        return int(self.value(f'count_over_time(up{{job="{self.job}"}}[1h])') or 0)

    def last_scrape_time(self):
        return self.value(f'timestamp(up{{job="{self.job}"}})')

    def wait_for(self, predicate, what, timeout=30.0):
        deadline = time.monotonic() + timeout * SLOW
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"prometheus exited with {self.proc.returncode}:\n{self.logs()}")
            if predicate():
                return
            time.sleep(0.1)
        raise AssertionError(f"prometheus never showed {what}:\n{self.logs()}")

    def wait_up(self):
        self.wait_for(lambda: self.value(f'up{{job="{self.job}"}}') == 1, f"the target of {self.job} up")

    def wait_scrapes(self, count):
        self.wait_for(lambda: self.scrapes() >= count, f"{count} scrapes of {self.job}")


# Which labels survive a query. Enough PromQL for the production-stack expressions: selectors, range functions,
# prefix-form aggregations (`sum by(le) (...)`), histogram_quantile and one-to-one binary operators.
AGGREGATIONS = {"sum", "avg", "min", "max", "count", "group", "stddev", "stdvar", "topk", "bottomk", "quantile",
                "count_values"}
SELECTOR = re.compile(r'[a-zA-Z_:][\w:]*\s*(\{[^}]*\})?|\{[^}]*\}')


def _enclosing_parens(expr, pos):
    """Positions of the '(' around pos, innermost first (quoted strings skipped)."""
    stack, quote = [], None
    for i, c in enumerate(expr[:pos]):
        if quote:
            quote = None if c == quote and expr[i - 1] != "\\" else quote
        elif c in "\"'`":
            quote = c
        elif c == "(":
            stack.append(i)
        elif c == ")":
            stack.pop()
    return stack[::-1]


def _kept_from(expr, pos, label):
    """Whether `label`, on the series at pos (or named in the by-clause at pos), is still on the result."""
    for paren in _enclosing_parens(expr, pos):
        before = expr[:paren].rstrip()
        if re.search(r"\bby$", before):
            continue  # pos is in this aggregation's by(...): the aggregation keeps it; go on outwards
        if re.search(r"\bwithout$", before):
            return False
        grouped = re.search(r"\b(\w+)\s*(by|without)\s*\(([^()]*)\)$", before)
        if grouped:
            named = {name.strip() for name in grouped[3].split(",")}
            if (label in named) != (grouped[2] == "by") or label == "__name__":
                return False
            continue
        function = re.search(r"\b(\w+)$", before)
        if not function:
            continue  # plain parentheses
        if function[1] in AGGREGATIONS or label == "__name__":
            return False  # aggregated away; every function drops the metric name
        if function[1] == "histogram_quantile" and label == "le":
            return False
    return True


def label_kept(expr, label):
    """True if the series `expr` returns carry `label` whenever the series it reads do (or it groups by it)."""
    if label == "__name__":
        # Functions and arithmetic drop the name; only a bare selector returns it.
        return bool(re.fullmatch(r"\s*(?:%s)\s*" % SELECTOR.pattern, expr))
    places = [m.start() for m in re.finditer(r"\b(by|without)\s*\(([^()]*)\)", expr)
              if label in {name.strip() for name in m[2].split(",")}]
    places += [m.start() for m in re.finditer(r"[{,]\s*%s\s*(=~|!~|!=|=)" % re.escape(label), expr)]
    if not places:  # a label the query does not name (a legend's {{instance}}): on every series it selects
        places = [m.start() for m in re.finditer(r"vllm:[\w:]+|\{", expr)]
    return any(_kept_from(expr, pos, label) for pos in places)
