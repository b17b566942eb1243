package io.sensorpipe.support;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * The exchanges being retried right now, for readiness: called before each redelivery
 * ({@code onRedeliveryRef} in {@code error-handling.camel.yaml}); an exchange is forgotten when it ends,
 * delivered or not.
 */
@ApplicationScoped
@Named("retries")
public class Retries implements Processor {

    /** One exchange being retried. */
    public record Retry(String routeId, int attempt, String failure, Instant since) {
        @Override
        public String toString() {
            return "attempt " + attempt + " since " + since + ": " + failure;
        }
    }

    private final Map<String, Retry> retrying = new ConcurrentHashMap<>();

    @Override
    public void process(Exchange exchange) {
        String id = exchange.getExchangeId();
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        String routeId = exchange.getUnitOfWork() != null && exchange.getUnitOfWork().getRoute() != null
                ? exchange.getUnitOfWork().getRoute().getRouteId() : exchange.getFromRouteId();
        String text = failure == null ? "unknown" : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        Retry before = retrying.put(id, new Retry(routeId, attempt, text.length() > 300 ? text.substring(0, 300) : text,
                Instant.now()));
        if (before == null) {
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    retrying.remove(id);
                }
            });
        } else {
            retrying.put(id, new Retry(routeId, attempt, text.length() > 300 ? text.substring(0, 300) : text,
                    before.since()));
        }
    }

    /** Per route, the oldest exchange being retried, e.g. {@code attempt 3 since …: SQLException: …}. */
    public Map<String, String> now() {
        Map<String, Retry> oldest = new TreeMap<>();
        for (Retry retry : retrying.values()) {
            oldest.merge(retry.routeId(), retry, (a, b) -> a.since().isBefore(b.since()) ? a : b);
        }
        Map<String, String> out = new TreeMap<>();
        oldest.forEach((route, retry) -> out.put(route, retry.toString()));
        return out;
    }
}
