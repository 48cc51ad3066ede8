package org.est4j.war;

import java.lang.System.Logger.Level;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import org.est4j.jaxrs.ErrorReplyFilter;
import org.est4j.jaxrs.proxy.ClientCertificateFilter;
import org.est4j.jaxrs.proxy.ProxyConfig;
import org.est4j.war.config.Est4jConfig;

/**
 * Installs the filters that must run before those {@code web.xml} declares, in this order:
 * <ol>
 *   <li>{@link ErrorReplyFilter}, always, so that whatever refuses a request below it (the proxy filter, the
 *       JAX-RS runtime, the container) answers with est4j's one-line text/plain reply;</li>
 *   <li>{@link ClientCertificateFilter}, when {@code est4j.properties} names trusted proxies
 *       ({@code proxy.trusted-addresses}); otherwise nothing, and forwarded client-certificate headers give no
 *       identity (fail closed).</li>
 * </ol>
 * Why here and not in {@code web.xml}: the proxy filter exists only when configured, and filters added by a
 * listener "before" the declared ones keep the order they are added in.
 *
 * <p>Declared in {@code web.xml}. An administrator who prefers {@code web.xml} can instead declare the proxy
 * filter there with the same keys as init-params; both paths go through {@link ProxyConfig}.
 */
public class FilterRegistrations implements ServletContextListener {

    private static final System.Logger LOG = System.getLogger(FilterRegistrations.class.getName());
    private static final String EST_PATHS = "/.well-known/est/*";
    /**
     * The admin surfaces that accept a client certificate ({@code metrics.client-subject}, {@code console.client-subject}):
     * behind a trusted proxy, the forwarded certificate counts there as it does for EST, and the container's own
     * certificate (the proxy's connection) is dropped.
     */
    private static final String[] ADMIN_PATHS = {"/console/*", "/metrics"};

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        addFirst(context.addFilter("est4j-error-replies", new ErrorReplyFilter()));
        ProxyConfig config = Est4jConfig.load(EstHome.location().resolve(Est4jConfig.FILE_NAME)).proxyConfig();
        if (config == null) {
            LOG.log(Level.INFO, "est4j: no trusted proxy configured; forwarded client-certificate headers are ignored");
            return;
        }
        FilterRegistration.Dynamic proxy = context.addFilter("est4j-client-certificate", new ClientCertificateFilter(config));
        addFirst(proxy);
        proxy.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, ADMIN_PATHS);
    }

    /** Before the filters web.xml declares, after those added here earlier. */
    private static void addFirst(FilterRegistration.Dynamic filter) {
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, EST_PATHS);
    }
}
