#!/usr/bin/python3
"""Decodes what est4j sends on the RFC 8295 paths with Debian's pyasn1-modules, independently of BouncyCastle,
and prints a JSON summary the integration tests assert on.

usage: rfc8295-decode.py <kind> <file>
  pal-xml | pal-json       the package availability list: [{type, size, info, uri}, ...]
  signed                   a DER ContentInfo of SignedData: eContentType, the decoded eContent and signed attributes
  signed-data              the same for a bare SignedData (what an EnvelopedData of content type signedData holds)
Nothing is trusted from est4j's side: any decoding error is a non-zero exit with the reason on stderr.
"""
import json
import sys
import xml.etree.ElementTree as ET

from pyasn1.codec.der import decoder
from pyasn1_modules import rfc4108, rfc5652, rfc5934, rfc6031, rfc7191

PAL_NS = "{urn:ietf:params:xml:ns:pal}"


def der(spec, data):
    value, rest = decoder.decode(data, asn1Spec=spec)
    if rest:
        raise ValueError("%d bytes after the %s" % (len(rest), spec.__class__.__name__))
    return value


def pal_xml(data):
    root = ET.fromstring(data)
    if root.tag != PAL_NS + "pal":
        raise ValueError("root element is " + root.tag)
    out = []
    for m in root.findall(PAL_NS + "message"):
        info = m.find(PAL_NS + "info")
        out.append({
            "type": m.findtext(PAL_NS + "type"),
            "size": int(m.findtext(PAL_NS + "size") or -1),
            "info": {child.tag[len(PAL_NS):]: (child.text or "") for child in (info if info is not None else [])},
            "uri": m.findtext(PAL_NS + "uri"),
        })
    return out


def pal_json(data):
    return [{"type": m["type"], "size": m.get("size", -1), "info": m.get("info", {}), "uri": m["uri"]}
            for m in json.loads(data)["pal"]["message"]]


def econtent_summary(oid, econtent):
    if oid == rfc4108.id_ct_firmwarePackage:
        return {"firmware": econtent.hex()}
    if oid == rfc5934.id_ct_TAMP_statusQuery:
        q = der(rfc5934.TAMPStatusQuery(), econtent)
        return {"seqNum": int(q["query"]["seqNum"]), "target": q["query"]["target"].getName()}
    if oid == rfc6031.id_ct_KP_sKeyPackage:
        p = der(rfc6031.SymmetricKeyPackage(), econtent)
        return {"keys": [bytes(k["sKey"]).hex() for k in p["sKeys"]]}
    raise ValueError("unexpected eContentType " + str(oid))


def attribute_summary(oid, value):
    if oid == rfc4108.id_aa_firmwarePackageID:
        v = der(rfc4108.FirmwarePackageIdentifier(), value)
        p = v["name"]["preferred"]
        return {"fwPkgID": str(p["fwPkgID"]), "verNum": int(p["verNum"])}
    if oid == rfc4108.id_aa_targetHardwareIDs:
        return [str(o) for o in der(rfc4108.TargetHardwareIdentifiers(), value)]
    if oid == rfc7191.id_aa_KP_keyPkgIdAndReceiptReq:
        v = der(rfc7191.KeyPkgIdentifierAndReceiptReq(), value)
        return {"pkgID": bytes(v["pkgID"]).decode("utf-8")}  # KeyPkgID, an OCTET STRING
    return bytes(value).hex()


def signed(data):
    ci = der(rfc5652.ContentInfo(), data)
    if ci["contentType"] != rfc5652.id_signedData:
        raise ValueError("not SignedData: " + str(ci["contentType"]))
    return signed_data(bytes(ci["content"]))


def signed_data(data):
    sd = der(rfc5652.SignedData(), data)
    oid = sd["encapContentInfo"]["eContentType"]
    out = {"eContentType": str(oid),
           "content": econtent_summary(oid, bytes(sd["encapContentInfo"]["eContent"])),
           "signedAttrs": {}}
    for si in sd["signerInfos"]:
        for a in si["signedAttrs"]:
            out["signedAttrs"][str(a["attrType"])] = attribute_summary(a["attrType"], bytes(a["attrValues"][0]))
    return out


def main():
    kind, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        data = f.read()
    result = {"pal-xml": pal_xml, "pal-json": pal_json, "signed": signed, "signed-data": signed_data}[kind](data)
    print(json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main()
