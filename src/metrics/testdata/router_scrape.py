"""Reads a /metrics body the way the production-stack router does.

Mirrors EngineStats.from_vllm_scrape (production-stack
src/vllm_router/stats/engine_stats.py): prometheus_client's
text_string_to_metric_families, then an exact match on sample.name, the last
sample winning. Prints "name value" for each of the six names and exits 1 when
one is missing or the text does not parse.
"""
import sys

from prometheus_client.parser import text_string_to_metric_families

ROUTER_NAMES = [
    "vllm:num_requests_running",
    "vllm:num_requests_waiting",
    "vllm:gpu_prefix_cache_hit_rate",
    "vllm:gpu_prefix_cache_hits_total",
    "vllm:gpu_prefix_cache_queries_total",
    "vllm:gpu_cache_usage_perc",
]


def main(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    found = {}
    samples = 0
    try:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                samples += 1
                if sample.name in ROUTER_NAMES:
                    found[sample.name] = sample.value
    except Exception as error:  # the router logs and drops the engine's stats
        print(f"parse error: {error}")
        return 1
    missing = [name for name in ROUTER_NAMES if name not in found]
    for name in ROUTER_NAMES:
        if name in found:
            print(f"{name} {found[name]!r}")
    print(f"samples {samples}")
    if missing:
        print("missing: " + " ".join(missing))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
