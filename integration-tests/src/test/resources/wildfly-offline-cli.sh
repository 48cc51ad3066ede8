#!/usr/bin/env bash
# Applies an EST_HOME's Elytron commands (wildfly-tls.cli, the README's) to an unpacked WildFly with an embedded CLI,
# before that WildFly first starts: integration-tests/pom.xml (execution wildfly-tls) and WildflyCliDecoyTest.
#
#   wildfly-offline-cli.sh <wildfly home> <est home> <java>
#
# jboss-cli.sh takes JBOSS_HOME, JBOSS_MODULEPATH, JAVA_OPTS and JAVA from the environment, where a WildFly user's
# shell names their own installation: with the caller's environment, the test commands (key stores under target/, the
# test key-store password) would be written into that installation's standalone.xml. So the CLI runs in an
# environment of its own: JBOSS_HOME is the WildFly given here, and nothing else comes from the caller.
set -euo pipefail
wildfly=$(cd "$1" && pwd -P)
est_home=$2
java=$3
chmod +x "$wildfly"/bin/*.sh
{ echo 'embed-server --std-out=discard'; cat "$est_home/wildfly-tls.cli"; echo 'stop-embedded-server'; } > "$wildfly/est4j-offline.cli"
exec env -i PATH="$PATH" HOME="$HOME" LANG=C.UTF-8 JAVA="$java" JBOSS_HOME="$wildfly" \
  "$wildfly/bin/jboss-cli.sh" --file="$wildfly/est4j-offline.cli"
