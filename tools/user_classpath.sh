#!/usr/bin/env bash
# Writes to OUT the runtime classpath of a Maven project whose only dependency is recurrent4j-cpu (from the local
# repository: run `mvn -q -DskipTests install` first), plus the dependency XML given as the second argument, if any.
#   tools/user_classpath.sh OUT [EXTRA_DEPENDENCY_XML]
set -euo pipefail
out=$1
extra=${2:-}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId><artifactId>user</artifactId><version>1</version>
  <dependencies>
    <dependency>
      <groupId>org.recurrent4j</groupId><artifactId>recurrent4j-cpu</artifactId><version>0.1.0-SNAPSHOT</version>
    </dependency>
    $extra
  </dependencies>
</project>
POM
mvn -q -f "$dir/pom.xml" dependency:build-classpath -Dmdep.outputFile="$(realpath -m "$out")" \
  -Dmdep.includeScope=runtime
