package org.est4j.jaxrs.packages;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * The names of the error and status codes a client reports on {@code /return} (RFC 7191
 * {@code EnumeratedErrorCode}, RFC 4108 {@code FirmwarePackageLoadErrorCode}, RFC 5934 {@code StatusCode}), so
 * that the recorded detail and the log say {@code notAuthorized (11)} rather than a bare number an operator
 * has to look up. The tables were generated from the ASN.1 modules of Debian's pyasn1-modules.
 */
enum ReturnErrorCodes {

    KEY_PACKAGE(
            "1=decodeFailure 2=badContentInfo 3=badSignedData 4=badEncapContent 5=badCertificate 6=badSignerInfo " +
            "7=badSignedAttrs 8=badUnsignedAttrs 9=missingContent 10=noTrustAnchor 11=notAuthorized " +
            "12=badDigestAlgorithm 13=badSignatureAlgorithm 14=unsupportedKeySize 15=unsupportedParameters " +
            "16=signatureFailure 17=insufficientMemory 23=incorrectTarget 29=missingSignature 30=resourcesBusy " +
            "31=versionNumberMismatch 33=revokedCertificate 60=ambiguousDecrypt 61=noDecryptKey " +
            "62=badEncryptedData 63=badEnvelopedData 64=badAuthenticatedData 65=badAuthEnvelopedData " +
            "66=badKeyAgreeRecipientInfo 67=badKEKRecipientInfo 68=badEncryptContent 69=badEncryptAlgorithm " +
            "70=missingCiphertext 71=decryptFailure 72=badMACAlgorithm 73=badAuthAttrs 74=badUnauthAttrs " +
            "75=invalidMAC 76=mismatchedDigestAlg 77=missingCertificate 78=tooManySigners " +
            "79=missingSignedAttributes 80=derEncodingNotUsed 81=missingContentHints 82=invalidAttributeLocation " +
            "83=badMessageDigest 84=badKeyPackage 85=badAttributes 86=attributeComparisonFailure " +
            "87=unsupportedSymmetricKeyPackage 88=unsupportedAsymmetricKeyPackage 89=constraintViolation " +
            "90=ambiguousDefaultValue 91=noMatchingRecipientInfo 92=unsupportedKeyWrapAlgorithm " +
            "93=badKeyTransRecipientInfo 127=other "),
    FIRMWARE(
            "1=decodeFailure 2=badContentInfo 3=badSignedData 4=badEncapContent 5=badCertificate 6=badSignerInfo " +
            "7=badSignedAttrs 8=badUnsignedAttrs 9=missingContent 10=noTrustAnchor 11=notAuthorized " +
            "12=badDigestAlgorithm 13=badSignatureAlgorithm 14=unsupportedKeySize 15=signatureFailure " +
            "16=contentTypeMismatch 17=badEncryptedData 18=unprotectedAttrsPresent 19=badEncryptContent " +
            "20=badEncryptAlgorithm 21=missingCiphertext 22=noDecryptKey 23=decryptFailure " +
            "24=badCompressAlgorithm 25=missingCompressedContent 26=decompressFailure 27=wrongHardware " +
            "28=stalePackage 29=notInCommunity 30=unsupportedPackageType 31=missingDependency " +
            "32=wrongDependencyVersion 33=insufficientMemory 34=badFirmware 35=unsupportedParameters " +
            "36=breaksDependency 99=otherError "),
    TAMP(
            "0=success 1=decodeFailure 2=badContentInfo 3=badSignedData 4=badEncapContent 5=badCertificate " +
            "6=badSignerInfo 7=badSignedAttrs 8=badUnsignedAttrs 9=missingContent 10=noTrustAnchor " +
            "11=notAuthorized 12=badDigestAlgorithm 13=badSignatureAlgorithm 14=unsupportedKeySize " +
            "15=unsupportedParameters 16=signatureFailure 17=insufficientMemory 18=unsupportedTAMPMsgType " +
            "19=apexTAMPAnchor 20=improperTAAddition 21=seqNumFailure 22=contingencyPublicKeyDecrypt " +
            "23=incorrectTarget 24=communityUpdateFailed 25=trustAnchorNotFound 26=unsupportedTAAlgorithm " +
            "27=unsupportedTAKeySize 28=unsupportedContinPubKeyDecryptAlg 29=missingSignature 30=resourcesBusy " +
            "31=versionNumberMismatch 32=missingPolicySet 33=revokedCertificate 34=unsupportedTrustAnchorFormat " +
            "35=improperTAChange 36=malformed 37=cmsError 38=unsupportedTargetIdentifier 127=other ");

    private final Map<Integer, String> names = new HashMap<>();

    ReturnErrorCodes(String table) {
        for (String entry : table.trim().split(" ")) {
            int equals = entry.indexOf('=');
            names.put(Integer.valueOf(entry.substring(0, equals)), entry.substring(equals + 1));
        }
    }

    /** {@code name (number)} for a known code, the number alone for one this table does not know. */
    String describe(BigInteger code) {
        String name = code.bitLength() < 31 ? names.get(code.intValue()) : null;
        return name == null ? code.toString() : name + " (" + code + ")";
    }
}
