#!/usr/bin/env python3
"""A stand-in launcher that records how the shim started it.

Writes {"argv": [...], "env": {...}, "pgid_is_own": bool} to $RECORD_FILE, then
acts on $RECORD_MODE:
  exit:N   exit with status N at once
  wait     wait for a signal; append {"signal": NAME} to $RECORD_FILE.signals
           and exit with $RECORD_SIGNAL_EXIT (default 0)
"""

import json
import os
import signal
import sys
import time

record = os.environ["RECORD_FILE"]
with open(record, "w") as f:
    json.dump({"argv": sys.argv, "env": dict(os.environ), "pgid_is_own": os.getpgid(0) == os.getpid(),
               "sid_is_own": os.getsid(0) == os.getpid()}, f)

mode = os.environ.get("RECORD_MODE", "exit:0")
if mode.startswith("exit:"):
    sys.exit(int(mode.split(":", 1)[1]))


def on_signal(number, _frame):
    with open(record + ".signals", "a") as f:
        f.write(json.dumps({"signal": signal.Signals(number).name}) + "\n")
    sys.exit(int(os.environ.get("RECORD_SIGNAL_EXIT", "0")))


signal.signal(signal.SIGTERM, on_signal)
signal.signal(signal.SIGINT, on_signal)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    time.sleep(0.05)
sys.exit(3)
