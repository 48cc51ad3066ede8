package org.est4j.war.cmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIFreeText;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.cmp.PKIStatusInfo;
import org.junit.jupiter.api.Test;

import org.est4j.jaxrs.ErrorReplies;
import org.est4j.spi.CaException;
import org.est4j.spi.CaUnavailableException;
import org.est4j.spi.CaUpstreamException;
import org.est4j.spi.CsrRejectedException;
import org.est4j.spi.EnrollmentForbiddenException;

class CmpStatusTest {

    private final CmpStatus status = new CmpStatus(Duration.ofSeconds(9));

    private CaException refusal(int failInfo, String text) {
        return status.refusal(new PKIStatusInfo(PKIStatus.rejection, text == null ? null : new PKIFreeText(text),
                failInfo == 0 ? null : new PKIFailureInfo(failInfo)));
    }

    @Test
    void whatTheClientCanFixIs400WithTheUpstreamsReason() {
        CaException e = refusal(PKIFailureInfo.badCertTemplate, "subject not allowed");
        assertInstanceOf(CsrRejectedException.class, e);
        assertEquals(400, ErrorReplies.status(e));
        assertEquals("the upstream CA refused the request (badCertTemplate): subject not allowed", e.getMessage());
    }

    @Test
    void notAuthorizedAndABareRejectionAre403() {
        assertInstanceOf(EnrollmentForbiddenException.class, refusal(PKIFailureInfo.notAuthorized, null));
        assertEquals("the upstream CA refused the request", refusal(0, null).getMessage());
        assertInstanceOf(EnrollmentForbiddenException.class, refusal(0, null));
    }

    @Test
    void aBusyUpstreamIs503WithRetryAfter() {
        CaUnavailableException e = assertInstanceOf(CaUnavailableException.class, refusal(PKIFailureInfo.systemUnavail, "maintenance"));
        assertEquals(Optional.of(Duration.ofSeconds(9)), e.retryAfter());
        assertEquals(503, ErrorReplies.status(e));
    }

    @Test
    void aFailureOfTheExchangeItselfIs502EvenNextToAClientFailure() {
        CaException e = refusal(PKIFailureInfo.badMessageCheck | PKIFailureInfo.badRequest, "MAC wrong");
        assertInstanceOf(CaUpstreamException.class, e);
        assertEquals(502, ErrorReplies.status(e));
        assertEquals("the upstream CA refused the request (badMessageCheck, badRequest): MAC wrong", e.getMessage());
        assertInstanceOf(CaUpstreamException.class, refusal(PKIFailureInfo.systemFailure, null));
    }

    @Test
    void theStatusStringIsEscapedAndBounded() {
        CaException e = refusal(PKIFailureInfo.badRequest, "line\r\nFORGED: \u202e evil " + "x".repeat(400));
        assertEquals(1, e.getMessage().lines().count(), "one line");
        assertEquals(true, e.getMessage().contains("line\\r\\nFORGED: \\u202e evil"), e.getMessage());
        assertEquals(true, e.getMessage().endsWith("chars)"), "cut, and the cut said: " + e.getMessage());
    }

    @Test
    void failInfoNamesFollowRfc9810() {
        assertEquals(List.of("badAlg", "duplicateCertReq"),
                CmpStatus.failInfoNames(new PKIFailureInfo(PKIFailureInfo.badAlg | PKIFailureInfo.duplicateCertReq)));
        assertEquals(List.of(), CmpStatus.failInfoNames(null));
    }
}
