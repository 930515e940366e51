# Sourced by the bench scripts: signed SCP requests from bash, with openssl for the HMAC.
# Needs SCP_ENDPOINT, SCP_ACCESS_KEY, SCP_SECRET_KEY.

# scp_call METHOD PATH [JSON_BODY] -> prints the response body; fails on a non-2xx status.
scp_call() {
  local method=$1 path=$2 body=${3:-}
  local ts sig url
  ts=$(date +%s%3N)
  url="${SCP_ENDPOINT}${path}"
  sig=$(printf '%s' "${method}${url}${ts}${SCP_ACCESS_KEY}Openapi" |
    openssl dgst -sha256 -hmac "$SCP_SECRET_KEY" -binary | base64)
  local args=(-sS --fail-with-body -X "$method" "$url"
    -H "Scp-AccessKey: $SCP_ACCESS_KEY" -H "Scp-Timestamp: $ts" -H "Scp-Signature: $sig"
    -H "Scp-ClientType: Openapi" -H "Scp-AccountId:" -H "Scp-API-Version: virtualserver 1.3")
  if [ -n "$body" ]; then
    args+=(-H "Content-Type: application/json" --data "$body")
  fi
  curl "${args[@]}"
}

# json_field NAME -> reads one top-level string or number field from JSON on stdin.
json_field() {
  python3 -c 'import json,sys; v=json.load(sys.stdin).get(sys.argv[1]); print("" if v is None else v)' "$1"
}
