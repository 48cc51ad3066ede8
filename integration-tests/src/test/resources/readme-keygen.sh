#!/usr/bin/env bash
# The README's /serverkeygen flow with curl and openssl, run by RfcOperationsTest against the label "keygen".
# The lines between the README markers must stand in README.md verbatim.
#
# usage: readme-keygen.sh HOST:PORT EST_HOME [WORK_DIR]
set -euo pipefail

EST_HOME="$2"
EST=https://$1/.well-known/est
cd "${3:-.}"
rm -f part*.b64

# BEGIN README
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null \
  -subj /CN=sensor-9 -outform DER | base64 > template.csr
curl -sS --fail-with-body --cacert $EST_HOME/ca.pem -u "$(cat $EST_HOME/initial-credentials)" \
  -H 'Content-Type: application/pkcs10' --data-binary @template.csr $EST/keygen/serverkeygen -o keygen.txt
awk '/^--est4j-/{n++; body=0; next} /^\r?$/{body=1; next} body{print > ("part" n ".b64")}' keygen.txt
base64 -d part1.b64 | openssl pkey -inform DER -out sensor-9.key
base64 -d part2.b64 | openssl pkcs7 -inform DER -print_certs -out sensor-9.pem
# END README

openssl verify -CAfile $EST_HOME/ca.pem sensor-9.pem
# the key belongs to the certificate
diff <(openssl pkey -in sensor-9.key -pubout) <(openssl x509 -in sensor-9.pem -noout -pubkey) && echo "key matches certificate"
