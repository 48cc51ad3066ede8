package org.est4j.war;

import java.lang.System.Logger.Level;
import java.util.EnumSet;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import org.est4j.jaxrs.proxy.ClientCertificateFilter;
import org.est4j.jaxrs.proxy.ProxyConfig;
import org.est4j.war.config.Est4jConfig;

/**
 * Installs {@link ClientCertificateFilter} in front of the EST resources when
 * {@code est4j.properties} names trusted proxies ({@code proxy.trusted-addresses}); otherwise
 * installs nothing, and forwarded client-certificate headers give no identity (fail closed).
 *
 * <p>Declared in {@code web.xml}. An administrator who prefers {@code web.xml} can instead declare
 * the filter there with the same keys as init-params; both paths go through {@link ProxyConfig}.
 */
public class ProxyFilterRegistration implements ServletContextListener {

    private static final System.Logger LOG = System.getLogger(ProxyFilterRegistration.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ProxyConfig config = Est4jConfig.load(EstHome.location().resolve(Est4jConfig.FILE_NAME)).proxyConfig();
        if (config == null) {
            LOG.log(Level.INFO, "est4j: no trusted proxy configured; forwarded client-certificate headers are ignored");
            return;
        }
        FilterRegistration.Dynamic filter = event.getServletContext()
                .addFilter("est4j-client-certificate", new ClientCertificateFilter(config));
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/.well-known/est/*");
    }
}
