# Sourced by the scripts: points JAVA_HOME at a JDK 25 or newer, or fails with a clear message.
_jmoq_java_ok() { [[ -x "$1/bin/java" ]] && "$1/bin/java" -version 2>&1 | head -1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; }
if [[ -n "${JAVA_HOME:-}" ]] && _jmoq_java_ok "$JAVA_HOME"; then
  :
else
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/java-2[5-9]* /usr/lib/jvm/jdk-2[5-9]*; do
    if _jmoq_java_ok "$candidate"; then JAVA_HOME="$candidate"; break; fi
  done
fi
if ! _jmoq_java_ok "${JAVA_HOME:-/nonexistent}"; then
  echo "jmoq needs JDK 25 or newer: set JAVA_HOME to it (looked in /usr/lib/jvm)." >&2
  exit 1
fi
export JAVA_HOME
