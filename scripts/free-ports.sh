#!/usr/bin/env bash
# free-ports.sh N - prints the first of N free loopback TCP ports in a row, so that CI jobs,
# benchmarks and developers on one machine never collide (the S3 store uses five: S3_PORT to
# S3_PORT+4). A port found free may still be taken before it is used; the start scripts then fail
# fast with "already in use", and a second try picks other ports.
set -euo pipefail
count=${1:-1}
/usr/bin/python3 - "$count" <<'PY'
import random, socket, sys
count = int(sys.argv[1])
for _ in range(200):
    base = random.randrange(20000, 60000 - count)
    held = []
    try:
        for port in range(base, base + count):
            s = socket.socket(); s.bind(("127.0.0.1", port)); held.append(s)
    except OSError:
        continue
    finally:
        for s in held: s.close()
    print(base); break
else:
    sys.exit("free-ports.sh: no free ports")
PY
