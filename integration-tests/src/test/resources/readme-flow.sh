#!/usr/bin/env bash
# The README's "enroll with curl and openssl" flow, run by the integration tests. The lines between the
# README markers are the README's own lines: EstScenarios.readmeFlowWithCurlAndOpenssl fails if README.md
# does not contain each of them verbatim, so the documentation cannot drift from what is tested.
#
# usage: readme-flow.sh HOST:PORT EST_HOME [WORK_DIR]
set -euo pipefail

EST_HOME="$2"
EST=https://$1/.well-known/est
cd "${3:-.}"

# BEGIN README
curl -sS --cacert $EST_HOME/ca.pem $EST/cacerts | base64 -d | openssl pkcs7 -inform DER -print_certs
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout device.key \
  -subj /CN=device-1 -addext subjectAltName=DNS:device-1.example -outform DER | base64 > device.csr
curl -sS --fail-with-body --cacert $EST_HOME/ca.pem -u "$(cat $EST_HOME/initial-credentials)" \
  -H 'Content-Type: application/pkcs10' --data-binary @device.csr $EST/simpleenroll \
  | base64 -d | openssl pkcs7 -inform DER -print_certs -out device.pem
openssl verify -CAfile $EST_HOME/ca.pem device.pem
openssl req -new -key device.key -subj /CN=device-1 -addext subjectAltName=DNS:device-1.example \
  -outform DER | base64 > renew.csr
curl -sS --fail-with-body --cacert $EST_HOME/ca.pem --cert device.pem --key device.key \
  -H 'Content-Type: application/pkcs10' --data-binary @renew.csr $EST/simplereenroll \
  | base64 -d | openssl pkcs7 -inform DER -print_certs -out renewed.pem
openssl verify -CAfile $EST_HOME/ca.pem renewed.pem
# END README
