"""Reads `perf script -F comm,tid,ip,sym` of the service and prints which share of its CPU samples
ran inside the request log and inside metrics (bench/observability.sh). A sample counts once for
the first of the two whose frame is anywhere on its stack, so nested frames are not counted twice.
"""
import re
import sys

LOG = re.compile(r"RequestLogMiddleware\+Log::|Microsoft\.Extensions\.Logging\.Console\]|ConsoleLoggerProcessor::")
METRICS = re.compile(r"\[OpenTelemetry[.\]]|\[System\.Diagnostics\.DiagnosticSource\] System\.Diagnostics\.Metrics\.|[A-Za-z]Metrics::")

total = log = metrics = 0
stack = []


def count(frames):
    global total, log, metrics
    if not frames:
        return
    total += 1
    text = "\n".join(frames)
    if LOG.search(text):
        log += 1
    elif METRICS.search(text):
        metrics += 1


for line in sys.stdin:
    if not line.strip():
        count(stack)
        stack = []
    elif line[0] in " \t":
        stack.append(line.strip())
    else:
        count(stack)
        stack = []
count(stack)

if total == 0:
    sys.exit("no samples")
print(f"{total} {100 * log / total:.2f} {100 * metrics / total:.2f}")
