package io.sensorpipe.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.sensorpipe.testdata.Csv;
import io.sensorpipe.testdata.IngestFiles;

/**
 * Camel's route MBeans of the packaged application, read over remote JMX from this (another) process,
 * as JConsole or VisualVM would, with the JMX agent bound to localhost only.
 */
class JmxConsoleIT {

    private static final Path WORK = Path.of("target", "console").toAbsolutePath();

    private static ServicesUnderTest services;

    @BeforeAll
    static void services() {
        assumeTrue(Files.exists(PackagedPipeline.JAR), "skipped: " + PackagedPipeline.JAR + " is not built");
        services = new ServicesUnderTest(WORK);
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.close();
        }
    }

    @Test
    void routeExchangeCountsAreReadableOverJmxFromAnotherProcess() throws Exception {
        int jmxPort = PackagedPipeline.freePort();
        try (PackagedPipeline app = services.pipeline(WORK, "jmx")) {
            app.jvmOptions("-Dcom.sun.management.jmxremote.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                    "-Djava.rmi.server.hostname=127.0.0.1",
                    "-Dcom.sun.management.jmxremote.authenticate=false",
                    "-Dcom.sun.management.jmxremote.ssl=false");
            app.start();
            app.awaitReadiness(200, Duration.ofMinutes(1));
            StringBuilder csv = new StringBuilder(Csv.BME280_HEADER).append('\n');
            for (int i = 0; i < 50; i++) {
                csv.append(Csv.bme280Row(4242, i)).append('\n');
            }
            Path dataDir = Files.createDirectories(app.dataDir());
            Files.writeString(dataDir.resolve("jmx.part"), csv);
            Files.move(dataDir.resolve("jmx.part"), dataDir.resolve("jmx.csv"), StandardCopyOption.ATOMIC_MOVE);
            assertEquals("LOADED", new IngestFiles(services.db).awaitFinished("jmx.csv").get("status"));

            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection server = connector.getMBeanServerConnection();
                Map<String, Long> completed = new TreeMap<>();
                for (ObjectName route : server.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null)) {
                    completed.put((String) server.getAttribute(route, "RouteId"),
                            (Long) server.getAttribute(route, "ExchangesCompleted"));
                }
                assertTrue(completed.keySet().containsAll(java.util.List.of("csv-intake", "row-validation",
                        "kafka-to-jdbc-batch", "metrics-aggregator")), completed.toString());
                assertTrue(completed.get("csv-intake") >= 1, "the file's exchange: " + completed);
                assertTrue(completed.get("row-validation") >= 50, "one exchange per row: " + completed);
            }
        }
    }
}
