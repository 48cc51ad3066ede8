package org.est4j.war.cmp;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cmp.CMPCertificate;
import org.bouncycastle.asn1.cmp.CMPObjectIdentifiers;
import org.bouncycastle.asn1.cmp.CertRepMessage;
import org.bouncycastle.asn1.cmp.CertResponse;
import org.bouncycastle.asn1.cmp.GenRepContent;
import org.bouncycastle.asn1.cmp.InfoTypeAndValue;
import org.bouncycastle.asn1.cmp.PKIBody;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.bouncycastle.asn1.cmp.PollRepContent;
import org.bouncycastle.asn1.cmp.RevRepContent;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.cmp.CMPException;

import org.est4j.jaxrs.ClientText;
import org.est4j.spi.CaCertificates;
import org.est4j.spi.CaCertificatesRequest;
import org.est4j.spi.CaException;
import org.est4j.spi.CaService;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CaUpstreamException;
import org.est4j.spi.CertificationRequest;
import org.est4j.spi.CsrAttributes;
import org.est4j.spi.CsrAttributesRequest;
import org.est4j.spi.EnrollmentForbiddenException;
import org.est4j.spi.EnrollmentRequest;
import org.est4j.spi.EnrollmentResult;
import org.est4j.spi.Issued;
import org.est4j.spi.Pending;
import org.est4j.spi.ReenrollmentRequest;
import org.est4j.spi.RenewalKind;
import org.est4j.spi.RevocationRequest;
import org.est4j.war.Pem;
import org.est4j.war.config.CmpSettings;
import org.est4j.war.localca.ApprovalQueue;

/**
 * One CA that est4j reaches over CMP (RFC 9483, the Lightweight CMP profile), as a {@link CaService}: est4j is the
 * registration authority that turns each EST operation into a CMP transaction.
 *
 * <ul>
 *   <li>{@code /simpleenroll}: {@code p10cr} with the client's PKCS#10 request as it came (its signature is the proof of
 *       possession); a CRMF request of {@code /fullcmc} goes as {@code cr}.</li>
 *   <li>{@code /simplereenroll}: a renewal (same key) is a {@code p10cr} like an enrollment; a rekey is a {@code kur}
 *       naming the old certificate, with {@code raVerified} proof of possession (est4j verified the client's
 *       signature; it cannot sign with the client's key).</li>
 *   <li>{@code /cacerts}: {@code genm id-it-caCerts}, cached; when the upstream has none to give, the PEM file
 *       {@code cmp.ca-certificates}.</li>
 *   <li>{@code /csrattrs}: {@code genm id-it-certReqTemplate}; no template is 204.</li>
 *   <li>CMC {@code revokeRequest}: {@code rr}, for the holder of the certificate or a registration authority.</li>
 *   <li>{@code /serverkeygen}: not offered (501).</li>
 *   <li>{@code waiting}/{@code pollRep}: 202 with the upstream's {@code checkAfter}; the client's repetition polls the
 *       same transaction ({@link PendingTransactions}).</li>
 * </ul>
 * Every response is verified ({@link CmpClient}); a returned certificate must certify the requested key and subject
 * ({@link IssuedCertificateCheck}), else it is rejected with {@code certConf} and the client gets 502. A certificate is
 * confirmed with {@code certConf} unless the upstream granted the implicit confirmation est4j asked for.
 */
public final class CmpUpstream implements CaService {

    private static final System.Logger LOG = System.getLogger(CmpUpstream.class.getName());

    private final CmpSettings settings;
    private final CmpClient client;
    private final PendingTransactions pending;
    private final Optional<List<X509Certificate>> configuredCaCertificates;
    private final Clock clock;
    /** Serialises the repetitions of one request, so that two of them never poll the same transaction at once. */
    private final Object[] locks = new Object[64];
    private volatile CachedCaCertificates cache;

    private record CachedCaCertificates(List<X509Certificate> certificates, Instant until) {
    }

    CmpUpstream(CmpSettings settings, CmpClient client, PendingTransactions pending,
                Optional<List<X509Certificate>> configuredCaCertificates, Clock clock) {
        this.settings = settings;
        this.client = client;
        this.pending = pending;
        this.configuredCaCertificates = configuredCaCertificates.map(List::copyOf);
        this.clock = clock;
        Arrays.setAll(locks, i -> new Object());
    }

    /** The upstream {@code settings} describe, with its files read relative to {@code home} (EST_HOME). */
    public static CmpUpstream open(CmpSettings settings, Path home) throws IOException, GeneralSecurityException {
        CmpProtection protection = CmpProtection.load(settings, home);
        Duration retryAfter = Duration.ofSeconds(settings.retryAfterSeconds());
        CmpTransport transport = CmpTransport.of(settings.url(), settings.tlsTrustAnchors(), home,
                Duration.ofSeconds(settings.connectTimeoutSeconds()), Duration.ofSeconds(settings.timeoutSeconds()), retryAfter);
        X500Name recipient = settings.recipient().map(p -> X500Name.getInstance(p.getEncoded()))
                .or(protection::serverName).orElse(new X500Name(""));
        CmpClient client = new CmpClient(transport, protection, new GeneralName(recipient), new CmpStatus(retryAfter));
        Optional<List<X509Certificate>> caCerts = settings.caCertificates().isPresent()
                ? Optional.of(Pem.readCertificates(home.resolve(settings.caCertificates().get()))) : Optional.empty();
        PendingTransactions pending = new PendingTransactions(home.resolve("cmp").resolve(settings.name()).resolve("pending"),
                Duration.ofHours(settings.pendingMaxHours()), Clock.systemUTC());
        return new CmpUpstream(settings, client, pending, caCerts, Clock.systemUTC());
    }

    @Override
    public CaCertificates caCertificates(CaCertificatesRequest request) throws CaException {
        CachedCaCertificates cached = cache;
        if (cached != null && clock.instant().isBefore(cached.until())) {
            return new CaCertificates(cached.certificates());
        }
        List<X509Certificate> fresh;
        try {
            fresh = fetchCaCertificates();
        } catch (RuntimeException e) {
            throw malformed(e);
        } catch (CaUnavailableException e) {
            if (cached != null) {
                return new CaCertificates(cached.certificates()); // stale beats none while the upstream is away
            }
            throw e;
        }
        cache = new CachedCaCertificates(fresh, clock.instant().plusSeconds(settings.cacertsCacheSeconds()));
        return new CaCertificates(fresh);
    }

    /** The upstream's answer to {@code genm id-it-caCerts}, or the configured fallback when it has none. */
    private List<X509Certificate> fetchCaCertificates() throws CaException {
        Optional<ASN1Encodable> value = generalInfo(CMPObjectIdentifiers.id_it_caCerts);
        if (value.isPresent()) {
            List<X509Certificate> out = new ArrayList<>();
            try {
                for (ASN1Encodable e : ASN1Sequence.getInstance(value.get())) {
                    out.add(Pem.parseCertificate(CMPCertificate.getInstance(e).getX509v3PKCert().getEncoded()));
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new CaUpstreamException("the upstream CA's CA certificates (id-it-caCerts) are malformed", e);
            }
            if (!out.isEmpty()) {
                return out;
            }
        }
        return configuredCaCertificates.orElseThrow(() -> new CaUpstreamException("the upstream CA sends no CA certificates "
                + "(genm id-it-caCerts) and ca." + settings.name() + ".cmp.ca-certificates is not configured"));
    }

    /** The value of {@code infoType} in the upstream's genp; empty when it answers without one. */
    private Optional<ASN1Encodable> generalInfo(ASN1ObjectIdentifier infoType) throws CaException {
        CmpClient.Reply reply = client.start(CmpBodies.generalMessage(infoType), false);
        if (reply.body().getType() != PKIBody.TYPE_GEN_REP) {
            throw unexpected(reply, "genp");
        }
        for (InfoTypeAndValue itav : GenRepContent.getInstance(reply.body().getContent()).toInfoTypeAndValueArray()) {
            if (infoType.equals(itav.getInfoType()) && itav.getInfoValue() != null) {
                return Optional.of(itav.getInfoValue());
            }
        }
        return Optional.empty();
    }

    @Override
    public EnrollmentResult enroll(EnrollmentRequest request) throws CaException {
        return certify(request.client(), request.csr(), CmpBodies.certificationRequest(request.csr()));
    }

    @Override
    public EnrollmentResult reenroll(ReenrollmentRequest request) throws CaException {
        if (request.kind() == RenewalKind.REKEY && request.csr().format() == CertificationRequest.Format.PKCS10) {
            return certify(request.client(), request.csr(), CmpBodies.keyUpdate(request.csr(), request.currentCertificate()));
        }
        return certify(request.client(), request.csr(), CmpBodies.certificationRequest(request.csr()));
    }

    /**
     * Sends {@code body} for {@code csr}, or, when the same client's same request waits at the upstream, polls that
     * transaction instead.
     */
    private EnrollmentResult certify(org.est4j.spi.AuthenticatedClient from, CertificationRequest csr, PKIBody body)
            throws CaException {
        if (!from.isAuthenticated()) {
            // closed by default: a person's approval (RFC 7030 section 3.7) is the local CA's queue; nobody approves here
            throw new EnrollmentForbiddenException("the client is not fully authenticated, and requests for this CA are "
                    + "forwarded only for authenticated clients");
        }
        String id = ApprovalQueue.idOf(from, csr.der());
        synchronized (locks[Math.floorMod(id.hashCode(), locks.length)]) {
            Optional<PendingTransactions.Entry> waiting = read(id);
            try {
                if (waiting.isPresent()) {
                    PendingTransactions.Entry entry = waiting.get();
                    return answer(id, csr, client.next(entry.transaction(), CmpBodies.pollRequest(entry.certReqId())),
                            entry.started(), true);
                }
                return answer(id, csr, client.start(body, settings.implicitConfirm()), pending.now(), false);
            } catch (CaUnavailableException e) {
                throw e; // the transaction stays: the next repetition polls it again
            } catch (CaException e) {
                forget(id);
                throw e;
            } catch (RuntimeException e) {
                forget(id);
                throw malformed(e);
            }
        }
    }

    /** What the client gets for {@code reply}: the certificate, 202 while the upstream waits, or the refusal. */
    private EnrollmentResult answer(String id, CertificationRequest csr, CmpClient.Reply reply, Instant started, boolean polled)
            throws CaException {
        int type = reply.body().getType();
        if (type == PKIBody.TYPE_POLL_REP) {
            PollRepContent poll = PollRepContent.getInstance(reply.body().getContent());
            // bounded: a day at most, whatever the upstream says
            long checkAfter = poll.size() > 0 ? poll.getCheckAfter(0).getValue().min(BigInteger.valueOf(86400)).longValue()
                    : settings.retryAfterSeconds();
            save(id, new PendingTransactions.Entry(reply.transaction(), poll.size() > 0 ? poll.getCertReqId(0).getValue()
                    : BigInteger.ZERO, started));
            return new Pending(Duration.ofSeconds(Math.max(1, checkAfter)));
        }
        if (type != PKIBody.TYPE_INIT_REP && type != PKIBody.TYPE_CERT_REP && type != PKIBody.TYPE_KEY_UPDATE_REP) {
            throw unexpected(reply, "ip, cp, kup or pollRep");
        }
        CertResponse[] responses = CertRepMessage.getInstance(reply.body().getContent()).getResponse();
        if (responses.length != 1) {
            throw new CaUpstreamException("the upstream CA answered one request with " + responses.length + " responses");
        }
        CertResponse response = responses[0];
        BigInteger certReqId = response.getCertReqId().getValue();
        int status = response.getStatus().getStatus().intValue();
        if (status == PKIStatus.WAITING && !polled) {
            // RFC 9483 section 4.4: poll at once; the pollRep says how long the client is to wait
            return answer(id, csr, client.next(reply.transaction(), CmpBodies.pollRequest(certReqId)), started, true);
        }
        if (status == PKIStatus.WAITING) {
            save(id, new PendingTransactions.Entry(reply.transaction(), certReqId, started));
            return new Pending(Duration.ofSeconds(settings.retryAfterSeconds()));
        }
        if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
            throw new CmpStatus(Duration.ofSeconds(settings.retryAfterSeconds())).refusal(response.getStatus());
        }
        if (response.getCertifiedKeyPair() == null || response.getCertifiedKeyPair().getCertOrEncCert().hasEncryptedCertificate()
                || response.getCertifiedKeyPair().getCertOrEncCert().getCertificate() == null
                || !response.getCertifiedKeyPair().getCertOrEncCert().getCertificate().isX509v3PKCert()) {
            throw new CaUpstreamException("the upstream CA granted the request without a plain X.509 certificate");
        }
        X509CertificateHolder holder = new X509CertificateHolder(
                response.getCertifiedKeyPair().getCertOrEncCert().getCertificate().getX509v3PKCert());
        X509Certificate certificate;
        try {
            certificate = Pem.toJdk(holder);
        } catch (GeneralSecurityException e) {
            throw new CaUpstreamException("the upstream CA returned a certificate that cannot be parsed", e);
        }
        Optional<String> mismatch = IssuedCertificateCheck.mismatch(certificate, csr);
        if (mismatch.isPresent()) {
            confirm(reply, holder, certReqId, mismatch.get());
            throw new CaUpstreamException(mismatch.get() + "; est4j refused it");
        }
        confirm(reply, holder, certReqId, null);
        forget(id);
        LOG.log(Level.INFO, "CMP CA ''{0}'' issued serial {1} to {2}", settings.name(), certificate.getSerialNumber().toString(16),
                ClientText.quote(certificate.getSubjectX500Principal().getName()));
        return new Issued(certificate, chain(reply, certificate, CertRepMessage.getInstance(reply.body().getContent())));
    }

    /**
     * certConf and its pkiConf (RFC 9483 section 4.1.1), unless the upstream granted implicit confirmation that est4j
     * asked for; a rejection is sent whatever was granted, and its answer only logged.
     */
    private void confirm(CmpClient.Reply reply, X509CertificateHolder certificate, BigInteger certReqId, String rejection)
            throws CaException {
        if (rejection == null && settings.implicitConfirm() && reply.implicitConfirmGranted()) {
            return;
        }
        PKIBody body;
        try {
            body = CmpBodies.certConf(certificate, certReqId, rejection);
        } catch (CMPException e) {
            throw new CaUpstreamException("est4j could not build its certConf", e);
        }
        if (rejection != null) {
            try {
                client.next(reply.transaction(), body);
            } catch (CaException e) {
                LOG.log(Level.WARNING, "CMP CA ''{0}'': the rejection of a mismatching certificate was not acknowledged: {1}",
                        settings.name(), e.getMessage());
            }
            return;
        }
        CmpClient.Reply conf = client.next(reply.transaction(), body);
        if (conf.body().getType() != PKIBody.TYPE_CONFIRM) {
            throw unexpected(conf, "pkiConf");
        }
    }

    /** The issuer chain the upstream sent along: caPubs and extraCerts, without the new certificate itself. */
    private static List<X509Certificate> chain(CmpClient.Reply reply, X509Certificate issued, CertRepMessage rep) {
        List<X509Certificate> out = new ArrayList<>();
        List<X509CertificateHolder> candidates = new ArrayList<>(Arrays.asList(reply.message().getCertificates()));
        if (rep.getCaPubs() != null) {
            for (CMPCertificate c : rep.getCaPubs()) {
                if (c.isX509v3PKCert()) {
                    candidates.add(new X509CertificateHolder(c.getX509v3PKCert()));
                }
            }
        }
        for (X509CertificateHolder h : candidates) {
            try {
                X509Certificate c = Pem.toJdk(h);
                if (!c.equals(issued) && !out.contains(c) && c.getBasicConstraints() >= 0) {
                    out.add(c);
                }
            } catch (GeneralSecurityException e) {
                // an unparsable extra certificate is not part of any chain est4j hands out
            }
        }
        return out;
    }

    /**
     * Not offered: the key est4j would generate cannot be held across a {@code waiting} upstream (the client's
     * repetition would poll for a certificate of a key already dropped), and RFC 9483's central key generation is the
     * CA's own business. 501, as for a CA without server-side key generation.
     */
    @Override
    public org.est4j.spi.ServerKeyGenResult serverKeyGen(org.est4j.spi.ServerKeyGenRequest request) throws CaException {
        throw new org.est4j.spi.CaOperationNotSupportedException("serverkeygen");
    }

    @Override
    public Optional<CsrAttributes> csrAttributes(CsrAttributesRequest request) throws CaException {
        Optional<ASN1Encodable> template;
        try {
            template = generalInfo(CMPObjectIdentifiers.id_it_certReqTemplate);
        } catch (RuntimeException e) {
            throw malformed(e);
        } catch (CaUnavailableException e) {
            throw e;
        } catch (CaException e) {
            // an upstream that does not offer the template (RFC 9483 section 4.3.3 makes it optional): nothing to ask for
            LOG.log(Level.INFO, "CMP CA ''{0}'' gives no certificate request template: {1}", settings.name(), e.getMessage());
            return Optional.empty();
        }
        return template.flatMap(RequestTemplates::toCsrAttributes);
    }

    /**
     * {@code rr} (RFC 9483 section 4.2), after est4j's own rule of who may revoke: the holder of the certificate (it
     * authenticated with it) or a registration authority ({@code id-kp-cmcRA}).
     */
    @Override
    public void revoke(RevocationRequest request) throws CaException {
        if (!request.askedByHolderOrRegistrationAuthority()) {
            throw new EnrollmentForbiddenException("only the holder of the certificate or a registration authority may revoke it");
        }
        PKIBody body;
        try {
            body = CmpBodies.revocation(request);
        } catch (IOException e) {
            throw new CaUpstreamException("est4j could not build the revocation request", e);
        }
        try {
            revoke(body);
        } catch (RuntimeException e) {
            throw malformed(e);
        }
    }

    private void revoke(PKIBody body) throws CaException {
        CmpClient.Reply reply = client.start(body, false);
        if (reply.body().getType() != PKIBody.TYPE_REVOCATION_REP) {
            throw unexpected(reply, "rp");
        }
        PKIStatusInfo[] statuses = RevRepContent.getInstance(reply.body().getContent()).getStatus();
        if (statuses.length != 1) {
            throw new CaUpstreamException("the upstream CA answered one revocation with " + statuses.length + " statuses");
        }
        int status = statuses[0].getStatus().intValue();
        if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
            throw new CmpStatus(Duration.ofSeconds(settings.retryAfterSeconds())).refusal(statuses[0]);
        }
    }


    /** A response that passed the checks but whose content does not parse: the upstream's fault, never a 500. */
    private static CaUpstreamException malformed(RuntimeException e) {
        return new CaUpstreamException("the upstream CA's response is malformed", e);
    }

    private static CaUpstreamException unexpected(CmpClient.Reply reply, String expected) {
        return new CaUpstreamException("the upstream CA answered with CMP body type " + reply.body().getType() + ", not " + expected);
    }

    private Optional<PendingTransactions.Entry> read(String id) throws CaUnavailableException {
        try {
            return pending.find(id);
        } catch (IOException e) {
            throw new CaUnavailableException("est4j cannot read its pending CMP transactions right now",
                    Duration.ofSeconds(settings.retryAfterSeconds()), e);
        }
    }

    private void save(String id, PendingTransactions.Entry entry) throws CaUnavailableException {
        try {
            pending.save(id, entry);
        } catch (IOException e) {
            throw new CaUnavailableException("est4j cannot record its pending CMP transaction right now",
                    Duration.ofSeconds(settings.retryAfterSeconds()), e);
        }
    }

    private void forget(String id) {
        try {
            pending.remove(id);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "CMP CA ''{0}'': cannot delete the pending transaction {1}", settings.name(), id);
        }
    }

    /** The name of the CA, as {@code ca.<name>} configures it. */
    public String name() {
        return settings.name();
    }
}
