#!/usr/bin/env bash
# Builds cuda-backend/target/gpu-check.tar.gz, everything gpu-check.sh needs on a GPU machine without Java: a
# jlink'd Java runtime (java.base and java.logging), recurrent4j-cuda's jar with the kernels nvcc compiled, the core's
# jar (the cells' arithmetic for the reference), JCuda's
# jar and its driver binding (the only native part used), and the PyTorch comparison scripts.
# Needs Java 17+ with jmods, Maven and nvcc. Usage: cuda-backend/build-gpu-check.sh
# The runtime comes from GPU_CHECK_JDK if set, else from an Eclipse Temurin JDK under /usr/lib/jvm (its runtime needs
# only glibc 2.17, so it starts on older GPU hosts too), else from the JDK that runs javac here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
target="$root/cuda-backend/target"
stage="$target/gpu-check"
rm -rf "$stage" "$target/gpu-check.tar.gz"
mkdir -p "$stage/lib"
# one reactor build, so that recurrent4j-core comes from this checkout and not from a local repository
mvn -q -pl cuda-backend -am -DskipTests package dependency:copy-dependencies -DincludeGroupIds=org.jcuda \
  -DoutputDirectory="$stage/jcuda"
jar="$(ls "$target"/recurrent4j-cuda-*.jar | grep -v -e sources -e javadoc | head -1)"
if ! unzip -l "$jar" | grep -q 'org/recurrent4j/cuda/recurrent.fatbin'; then
  echo "build-gpu-check: $jar has no GPU kernels: put nvcc on the PATH (or set CUDA_HOME) and run again" >&2
  exit 1
fi
cp "$jar" "$stage/lib/recurrent4j-cuda.jar"
# the cells' declarations and step arithmetic, which the reference (ReferenceCell) runs; nothing of ND4J is loaded
core="$(ls "$root"/core/target/recurrent4j-core-*.jar | grep -v -e sources -e javadoc | head -1)"
cp "$core" "$stage/lib/recurrent4j-core.jar"
cp "$stage"/jcuda/jcuda-[0-9]*.jar "$stage/lib/"
natives="$(ls "$stage"/jcuda/jcuda-natives-*.jar)"
(mkdir -p "$stage/natives" && cd "$stage/natives" && unzip -q "$natives" 'lib/libJCudaDriver-*' \
  && jar cf "$stage/lib/jcuda-driver-natives.jar" lib)
rm -rf "$stage/jcuda" "$stage/natives"
jdk="${GPU_CHECK_JDK:-}"
if [[ -z "$jdk" ]]; then
  jdk="$(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -V | tail -1)"
fi
if [[ -z "$jdk" || ! -x "$jdk/bin/jlink" ]]; then
  jdk="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
fi
compress=2   # JDK 21 renamed the levels
if (( $("$jdk/bin/jlink" --version | cut -d. -f1) >= 21 )); then compress=zip-6; fi
"$jdk/bin/jlink" --add-modules java.base,java.logging --strip-debug --no-header-files --no-man-pages \
  --compress="$compress" --output "$stage/jre"
glibc="$(for f in "$stage"/jre/bin/java "$stage"/jre/lib/*.so "$stage"/jre/lib/server/libjvm.so; do
  objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_[0-9.]*'; done | sort -V | tail -1)"
echo "runtime: $("$stage/jre/bin/java" -version 2>&1 | head -1) from $jdk; needs ${glibc:-an unknown glibc}"
cp cuda-backend/src/gpu-check/*.py "$stage/"
tar czf "$target/gpu-check.tar.gz" -C "$target" gpu-check
echo "built $target/gpu-check.tar.gz ($(du -h "$target/gpu-check.tar.gz" | cut -f1)); run cuda-backend/gpu-check.sh"
