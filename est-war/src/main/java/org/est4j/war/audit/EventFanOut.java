package org.est4j.war.audit;

import java.util.List;
import java.util.Optional;

import org.est4j.jaxrs.events.Decision;
import org.est4j.jaxrs.events.EstEvents;

/** Several listeners as one: the metrics and the audit trail hear every event, in order. */
public final class EventFanOut implements EstEvents {

    private final List<EstEvents> listeners;

    private EventFanOut(List<EstEvents> listeners) {
        this.listeners = listeners;
    }

    /** {@link EstEvents#NONE} without listeners, the one listener itself, or a fan-out. */
    public static EstEvents of(List<EstEvents> listeners) {
        List<EstEvents> some = listeners.stream().filter(l -> l != EstEvents.NONE).toList();
        return some.isEmpty() ? EstEvents.NONE : some.size() == 1 ? some.get(0) : new EventFanOut(some);
    }

    @Override
    public void requestCompleted(String operation, Optional<String> label, int status, long durationNanos) {
        for (EstEvents l : listeners) {
            l.requestCompleted(operation, label, status, durationNanos);
        }
    }

    @Override
    public void decided(Decision decision) {
        for (EstEvents l : listeners) {
            l.decided(decision);
        }
    }

    @Override
    public void authenticationFailed(String scheme, String remoteAddress) {
        for (EstEvents l : listeners) {
            l.authenticationFailed(scheme, remoteAddress);
        }
    }

    @Override
    public void throttled(String remoteAddress) {
        for (EstEvents l : listeners) {
            l.throttled(remoteAddress);
        }
    }

    @Override
    public void backendError(Backend backend, String operation) {
        for (EstEvents l : listeners) {
            l.backendError(backend, operation);
        }
    }
}
