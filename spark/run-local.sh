#!/usr/bin/env bash
# Runs train-spark on this machine, in Spark's local mode, from the job jar that a cluster would get:
#   spark/run-local.sh --spark-master 'local[2]' --train DATA --dev DEV.conll --out model.zip [options]
# Spark and Scala, which spark-submit supplies on a cluster, come from Maven's local repository here. The Java
# options are those SparkTraining.JAVA_OPTIONS lists (Java 17). Build first: mvn -q -DskipTests package -pl spark -am
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/recurrent4j-spark-job.jar"
if [ ! -f "$jar" ]; then
  echo "error: $jar is missing: build it with 'mvn -q -DskipTests package -pl spark -am'" >&2
  exit 1
fi
cp="$here/target/spark-provided.classpath"
if [ ! -s "$cp" ] || [ "$cp" -ot "$here/pom.xml" ]; then
  (cd "$here" && mvn -q dependency:build-classpath -DincludeScope=provided -Dmdep.outputFile="$cp") >&2
fi
exec java -Xmx4g \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
  -Daeron.publication.unblock.timeout=60000000000 \
  -Dlog4j.configuration="file:$here/src/main/config/log4j.properties" \
  -cp "$jar:$(cat "$cp")" org.recurrent4j.spark.TrainSpark "$@"
