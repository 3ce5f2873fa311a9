#!/usr/bin/env bash
# Fails the build with one line when no JDK of the required feature version or newer exists where
# maven-toolchains-plugin's select-jdk-toolchain looks (JAVA_HOME, /usr/lib/jvm, ~/.sdkman, ~/.jdks, /opt/java),
# instead of the plugin's "Cannot find matching toolchain definitions". Usage: require-jdk.sh 25
set -u
need=$1
for home in "${JAVA_HOME:-}" /usr/lib/jvm/* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /opt/java/*; do
  [ -n "$home" ] && [ -f "$home/release" ] && [ -x "$home/bin/javac" ] || continue
  version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$home/release")
  if [ -n "$version" ] && [ "$version" -ge "$need" ]; then
    exit 0
  fi
done
echo "edge-inventory builds with JDK $need or newer, and none was found in JAVA_HOME, /usr/lib/jvm," \
     "~/.sdkman, ~/.jdks or /opt/java: install one (e.g. Temurin $need: apt-get install temurin-$need-jdk from" \
     "Adoptium's apt repository) and run the build again; Maven itself may keep running on an older java."
exit 1
