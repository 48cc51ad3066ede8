package org.est4j.jaxrs.packages;

import java.security.cert.X509CRL;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.est4j.jaxrs.EstEndpointConfig;
import org.est4j.jaxrs.EstMediaTypes;
import org.est4j.jaxrs.EstReply;
import org.est4j.jaxrs.HttpRequestInfo;
import org.est4j.jaxrs.codec.CertsOnlyEncoder;
import org.est4j.spi.AuthenticatedClient;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CrlRequest;

/**
 * {@code GET /crls} (RFC 8295 section 4): the CA's current CRLs and ARLs in a certs-only SignedData. No client
 * authentication: the lists are signed by their CA, and a relying party that is not yet enrolled needs them too.
 */
public final class CrlDistribution {

    private final CaService ca;
    private final EstEndpointConfig config;

    public CrlDistribution(CaService ca, EstEndpointConfig config) {
        this.ca = ca;
        this.config = config;
    }

    public EstReply crls(Optional<String> label, HttpRequestInfo http) throws CaException {
        List<X509CRL> crls = ca.crls(new CrlRequest(label, AuthenticatedClient.anonymous(http.remoteAddress())));
        if (crls.isEmpty()) {
            return EstReply.empty(204, Map.of());
        }
        return EstReply.encoded(config.policies().of(label).responses(), 200, EstMediaTypes.PKCS7_CERTS_ONLY, "PKCS7",
                CertsOnlyEncoder.encode(List.of(), crls));
    }
}
