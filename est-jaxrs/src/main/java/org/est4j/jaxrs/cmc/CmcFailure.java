package org.est4j.jaxrs.cmc;

import org.bouncycastle.asn1.cmc.CMCFailInfo;

/**
 * One body part of a CMC request failed: the CMCFailInfo and the one-line statusString the client
 * receives in its CMCStatusInfoV2. Not an HTTP error: {@code /fullcmc} answers 200 with the failure
 * inside the signed response.
 */
final class CmcFailure extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient CMCFailInfo failInfo;

    CmcFailure(CMCFailInfo failInfo, String statusString) {
        super(statusString, null, false, false); // expected outcomes: no stack trace
        this.failInfo = failInfo;
    }

    static CmcFailure badRequest(String statusString) {
        return new CmcFailure(CMCFailInfo.badRequest, statusString);
    }

    static CmcFailure popFailed(String statusString) {
        return new CmcFailure(CMCFailInfo.popFailed, statusString);
    }

    static CmcFailure unsupportedExt(String statusString) {
        return new CmcFailure(CMCFailInfo.unsupportedExt, statusString);
    }

    CMCFailInfo failInfo() {
        return failInfo;
    }

    String statusString() {
        return getMessage();
    }
}
