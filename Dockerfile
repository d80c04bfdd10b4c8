# The controller image the Deployment in config/manager runs (ipam-controller:0.1.0).
#   mvn -B -q -DskipTests package && docker build -t ipam-controller:0.1.0 .
# (Not built by CI: the build machines have no container engine.)
FROM eclipse-temurin:17-jre
COPY ipam-controller/target/ipam-controller.jar /opt/ipam/ipam-controller.jar
USER 65532:65532
# Two malloc arenas, not 8 per core: the JVM's own allocations are few, and every arena a thread touches stays
# resident. The JVM's options in JAVA_TOOL_OPTIONS, not on the command line (which would win over them), so that
# the Deployment's JAVA_TOOL_OPTIONS replaces them as a whole: C1 only, the serial collector, a heap for about
# 10,000 claims (docs/performance.md, "Memory"), exit when out of memory.
ENV MALLOC_ARENA_MAX=2
ENV JAVA_TOOL_OPTIONS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx160m -XX:+ExitOnOutOfMemoryError"
ENTRYPOINT ["java", "-jar", "/opt/ipam/ipam-controller.jar"]
