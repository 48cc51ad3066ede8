"""Decodes an est4j application/cms key part with pyasn1-modules, independently of BouncyCastle.

usage: decode_encrypted_key_package.py <key-part.der> <enveloped-out.der>
       decode_encrypted_key_package.py --akp <decrypted-content.der>

Prints key=value lines describing what it found, and writes the EnvelopedData it found inside the
EncryptedKeyPackage's [0] choice as a ContentInfo (id-envelopedData), for the caller to decrypt.
Any structural surprise raises, so the exit status is non-zero.
"""
import sys

from pyasn1.codec.der import decoder, encoder
from pyasn1_modules import rfc5652, rfc5958, rfc6032, rfc7191

if sys.argv[1] == '--akp':
    with open(sys.argv[2], 'rb') as f:
        keys, rest = decoder.decode(f.read(), asn1Spec=rfc5958.AsymmetricKeyPackage())
    assert not rest, 'trailing bytes after the AsymmetricKeyPackage'
    print('keys=%d' % len(keys))
    for key in keys:
        print('keyAlgorithm=' + str(key['privateKeyAlgorithm']['algorithm']))
    sys.exit(0)

with open(sys.argv[1], 'rb') as f:
    der = f.read()

outer, rest = decoder.decode(der, asn1Spec=rfc5652.ContentInfo())
assert not rest, 'trailing bytes after the ContentInfo'
print('outer=' + str(outer['contentType']))

if outer['contentType'] == rfc5652.id_signedData:
    signed, rest = decoder.decode(outer['content'], asn1Spec=rfc5652.SignedData())
    assert not rest
    encap = signed['encapContentInfo']
    print('eContentType=' + str(encap['eContentType']))
    content = bytes(encap['eContent'])
    for signer_info in signed['signerInfos']:
        for attribute in signer_info['signedAttrs']:
            if attribute['attrType'] == rfc7191.id_aa_KP_keyPkgIdAndReceiptReq:
                value, rest = decoder.decode(attribute['attrValues'][0], asn1Spec=rfc7191.KeyPkgIdentifierAndReceiptReq())
                assert not rest
                print('pkgID=' + bytes(value['pkgID']).hex())
                if value['receiptReq'].isValue:
                    receipts_to = value['receiptReq']['receiptsTo']
                    print('receiptsTo=' + ','.join(str(name['sirenType']) for name in receipts_to))
            elif attribute['attrType'] == rfc5652.id_contentType:
                print('signedContentType=' + str(decoder.decode(attribute['attrValues'][0],
                                                                asn1Spec=rfc5652.ContentType())[0]))
else:
    content = bytes(outer['content'])  # what the [0] EXPLICIT wraps

package, rest = decoder.decode(content, asn1Spec=rfc6032.EncryptedKeyPackage())
assert not rest, 'trailing bytes after the EncryptedKeyPackage'
print('choice=' + package.getName())
print('firstOctet=%02x' % content[0])
enveloped = package['enveloped']
print('innerContentType=' + str(enveloped['encryptedContentInfo']['contentType']))
print('recipientInfo=' + enveloped['recipientInfos'][0].getName())
assert enveloped['encryptedContentInfo']['contentType'] == rfc5958.id_ct_KP_aKeyPackage

# the same EnvelopedData under its universal SEQUENCE tag (what [0] IMPLICIT replaced: A0 -> 30), checked to
# decode as one, in a ContentInfo a CMS library opens
untagged = encoder.encode(enveloped)
assert untagged[0] == 0xa0
plain, rest = decoder.decode(b'\x30' + untagged[1:], asn1Spec=rfc5652.EnvelopedData())
assert not rest
info = rfc5652.ContentInfo()
info['contentType'] = rfc5652.id_envelopedData
info['content'] = encoder.encode(plain)
with open(sys.argv[2], 'wb') as f:
    f.write(encoder.encode(info))
