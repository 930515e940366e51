"""bench/import.sh's timer: creates one image from URL and polls it until it leaves `importing`.

One process signs and polls over one kept-alive connection, so the harness itself takes next to no
CPU from the service it measures (a shell loop of curl and openssl every 50 ms took about a tenth
of a core). Prints "<id> <status> <start> <end> <peak VmRSS KiB>"; times are time.time() seconds. An import
that ends in any other status than active also has its import status printed to stderr.

usage: import-once.py <endpoint> <url> <service pid>   (SCP_ACCESS_KEY, SCP_SECRET_KEY from the environment)
"""
import base64, hashlib, hmac, http.client, json, os, sys, time
from urllib.parse import urlsplit

endpoint, source, pid = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
access, secret = os.environ["SCP_ACCESS_KEY"], os.environ["SCP_SECRET_KEY"]
conn = http.client.HTTPConnection(urlsplit(endpoint).netloc)


def call(method, path, body=None):
    # docs/signing.md: HMAC-SHA256 over method + absolute URL + timestamp + access key + client type.
    ts = str(int(time.time() * 1000))
    url = endpoint + path
    message = f"{method}{url}{ts}{access}Openapi".encode()
    signature = base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()
    headers = {"Scp-AccessKey": access, "Scp-Timestamp": ts, "Scp-Signature": signature,
               "Scp-ClientType": "Openapi", "Scp-API-Version": "virtualserver 1.3"}
    data = None if body is None else json.dumps(body).encode()
    if data is not None:
        headers["Content-Type"] = "application/json"
    conn.request(method, path, body=data, headers=headers)
    response = conn.getresponse()
    text = response.read()
    if response.status >= 300:
        sys.exit(f"{method} {path}: {response.status} {text.decode(errors='replace')}")
    return json.loads(text)


def rss():
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


start = time.time()
image = call("POST", "/v1/images", {"name": "bench", "os_distro": "ubuntu", "url": source})
peak, status = 0, "importing"
while status == "importing":
    time.sleep(0.02)
    status = call("GET", f"/v1/images/{image['id']}")["status"]
    peak = max(peak, rss())
end = time.time()
if status != "active":
    detail = call("GET", f"/v1/images/{image['id']}/import")
    print(f"import ended {status}: {json.dumps(detail)}", file=sys.stderr)
print(image["id"], status, f"{start:.6f}", f"{end:.6f}", peak)
