#!/usr/bin/env bash
# The README's "try it with curl and openssl" flow, run verbatim by the integration tests.
#
# usage: readme-flow.sh HOST:PORT EST_HOME [WORK_DIR]
#   HOST:PORT  the HTTPS endpoint of est4j, e.g. localhost:8443
#   EST_HOME   the data directory written by EstHomeInit (ca.pem, initial-credentials)
#   WORK_DIR   where device-1.key, device-1.pem, device-1-renewed.pem... are written (default: current directory)
set -euo pipefail

EST="$1"
EST_HOME="$2"
cd "${3:-.}"
PW="$(cut -d: -f2- "$EST_HOME/initial-credentials")"

echo "== GET /cacerts"
curl -sS --fail-with-body --cacert "$EST_HOME/ca.pem" "https://$EST/.well-known/est/cacerts" \
  | base64 -d | openssl pkcs7 -inform DER -print_certs

echo "== new P-256 key and CSR for CN=device-1"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout device-1.key \
  -subj /CN=device-1 -outform DER | base64 > device-1.csr.b64

echo "== POST /simpleenroll"
curl -sS --fail-with-body --cacert "$EST_HOME/ca.pem" -u "est:$PW" -H 'Content-Type: application/pkcs10' \
  --data-binary @device-1.csr.b64 "https://$EST/.well-known/est/simpleenroll" \
  | base64 -d | openssl pkcs7 -inform DER -print_certs > device-1.pem
cat device-1.pem

echo "== verify against ca.pem"
openssl verify -CAfile "$EST_HOME/ca.pem" "$PWD/device-1.pem"

echo "== POST /simplereenroll, authenticated by the certificate being renewed (same key, same subject)"
openssl req -new -key device-1.key -subj /CN=device-1 -outform DER | base64 > device-1-renew.csr.b64
curl -sS --fail-with-body --cacert "$EST_HOME/ca.pem" --cert device-1.pem --key device-1.key \
  -H 'Content-Type: application/pkcs10' --data-binary @device-1-renew.csr.b64 \
  "https://$EST/.well-known/est/simplereenroll" \
  | base64 -d | openssl pkcs7 -inform DER -print_certs > device-1-renewed.pem
openssl verify -CAfile "$EST_HOME/ca.pem" "$PWD/device-1-renewed.pem"
