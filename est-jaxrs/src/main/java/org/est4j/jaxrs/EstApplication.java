package org.est4j.jaxrs;

import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.Application;

/**
 * The JAX-RS application of est4j, mapped to {@code /.well-known/est/*} by the WAR's
 * {@code web.xml}. Classes are listed explicitly: no scanning, so start-up is fast and nothing
 * unexpected is exposed.
 */
public class EstApplication extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(EstResource.class, EstExceptionMapper.class, OperationNameFilter.class);
    }

    @Override
    public Map<String, Object> getProperties() {
        return Map.of(
                // No WADL: it would publish an extra resource (application.wadl) under /.well-known/est.
                "jersey.config.server.wadl.disableWadl", true,
                // Error statuses keep our plain-text bodies instead of the container's HTML error page.
                "jersey.config.server.response.setStatusOverSendError", true);
    }
}
