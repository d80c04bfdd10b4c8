# The controller image the Deployment in config/manager runs (ipam-controller:0.1.0).
#   mvn -B -q -DskipTests package && docker build -t ipam-controller:0.1.0 .
# (Not built by CI: the build machines have no container engine.)
FROM eclipse-temurin:17-jre
COPY ipam-controller/target/ipam-controller.jar /opt/ipam/ipam-controller.jar
USER 65532:65532
ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/ipam/ipam-controller.jar"]
