# The controller image the Deployment in config/manager runs (ipam-controller:0.1.0).
#   mvn -B -q -DskipTests package && docker build -t ipam-controller:0.1.0 .
# (Not built by CI: the build machines have no container engine.)
FROM eclipse-temurin:17-jre
COPY ipam-controller/target/ipam-controller.jar /opt/ipam/ipam-controller.jar
USER 65532:65532
# Two malloc arenas, not 8 per core: the JVM's own allocations are few, and every arena a thread touches stays
# resident (docs/performance.md, "Memory").
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx112m", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/ipam/ipam-controller.jar"]
