"""bench/import-resume.sh's source: serves one file on loopback with ranges, a strong ETag and
If-Range, and resets the connection once at each of the given offsets (SO_LINGER 0, so the service
sees a reset, not a clean end). It writes the bytes it sent so far to <count file> after every
answer.

usage: resume-source.py <port> <file> <count file> <drop offset>...
"""
import http.server, os, socket, struct, sys, threading

port, path, count_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
drops = sorted(int(d) for d in sys.argv[4:])
size = os.path.getsize(path)
etag = '"bench-%x-%x"' % (size, int(os.path.getmtime(path)))
lock = threading.Lock()
sent = 0


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        first, last = 0, size - 1
        asked = self.headers.get("Range", "")
        if_range = self.headers.get("If-Range")
        partial = asked.startswith("bytes=") and (if_range is None or if_range == etag)
        if partial:
            a, _, b = asked[6:].partition("-")
            first, last = int(a), min(int(b) if b else size - 1, size - 1)
        self.send_response(206 if partial else 200)
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(last - first + 1))
        if partial:
            self.send_header("Content-Range", f"bytes {first}-{last}/{size}")
        self.end_headers()
        self.wfile.flush()
        with lock:
            drop = next((d for d in drops if first < d <= last), None)
            if drop is not None:
                drops.remove(drop)
        end = drop if drop is not None else last + 1
        with open(path, "rb") as f:
            done = self.connection.sendfile(f, first, end - first)
        account(done)
        if drop is not None:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True


def account(n):
    global sent
    with lock:
        sent += n
        with open(count_file, "w") as out:
            out.write(str(sent))


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
