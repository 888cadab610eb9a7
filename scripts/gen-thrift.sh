#!/usr/bin/env bash
# Regenerates protocol/gen-nodejs/ from protocol/thrift/*.thrift with Debian's Thrift
# compiler (0.17). The output is committed, so only someone who edits the IDL runs this.
#
# The stubs are CommonJS (`js:node,es6`: classes and native Promises); protocol/rpc-types.ts
# loads them with createRequire and gives them types. A package.json in the output folder
# marks the folder as CommonJS, because the project itself is an ES module package.
set -euo pipefail
cd "$(dirname "$0")/.."

want_version="0.17.0"
if ! command -v thrift >/dev/null 2>&1; then
  echo "thrift compiler missing: installing Debian's thrift-compiler" >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq thrift-compiler
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq thrift-compiler
  fi
fi
have_version="$(thrift --version | awk '{print $3}')"
if [ "$have_version" != "$want_version" ]; then
  echo "warning: thrift compiler $have_version, the committed stubs come from $want_version" >&2
fi

out=protocol/gen-nodejs
rm -rf "$out"
mkdir -p "$out"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
for idl in protocol/thrift/common.thrift protocol/thrift/client.thrift; do
  if ! thrift --gen js:node,es6 -I protocol/thrift -out "$out" "$idl" >"$log" 2>&1; then
    cat "$log" >&2
    echo "thrift failed on $idl" >&2
    exit 1
  fi
  # The two IoTDB arguments declared without a field id (handshake, pipeTransfer) make
  # the compiler warn; their implicit id -1 is what IoTDB's clients send.
  grep -v -e 'No field key specified' -e 'list<byte>' -e '^$' "$log" >&2 || true
done
printf '{\n  "type": "commonjs"\n}\n' >"$out/package.json"
echo "generated: $(ls "$out" | tr '\n' ' ')"
