"""An outside check of Mitra's certificates, written against the published
formats with packages Mitra's code has nothing to do with: cbor2 (CBOR),
base45 (RFC 9285), cryptography (Ed25519) and the standard library's zlib
and hashlib. It reads what a verifier in another state would have:

  DIR/payload.txt     the QR code's text (MTR1:...)
  DIR/jwks.json       the published keys (/.well-known/jwks.json)
  DIR/checkpoint.txt  a signed checkpoint of the transparency log (C2SP)
  DIR/log.json        {"name", "kid"} of the log's key, the certificate's
                      index, the tree size and its inclusion proof (hex)

and exits 0 with the claims printed when every check passes, 1 otherwise.
"""

import base64
import hashlib
import json
import sys
import zlib

import base45
import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def fail(why):
    print(f"REJECTED: {why}")
    sys.exit(1)


def b64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def main(directory):
    text = open(f"{directory}/payload.txt").read().strip()
    keys = {k["kid"]: k for k in json.load(open(f"{directory}/jwks.json"))["keys"]}
    if not text.startswith("MTR1:"):
        fail("no MTR1: prefix")
    cose = zlib.decompress(base45.b45decode(text[5:]))
    tagged = cbor2.loads(cose)
    if not (isinstance(tagged, cbor2.CBORTag) and tagged.tag == 18):
        fail("not a tagged COSE_Sign1")
    protected_bytes, _unprotected, payload, signature = tagged.value
    protected = cbor2.loads(protected_bytes)
    if protected.get(1) != -8:
        fail("alg is not EdDSA")
    kid = protected[4].decode()
    if kid not in keys:
        fail(f"unknown key {kid}")
    jwk = keys[kid]
    if (jwk["kty"], jwk["crv"]) != ("OKP", "Ed25519"):
        fail("the key is not an Ed25519 OKP key")
    to_be_signed = cbor2.dumps(["Signature1", protected_bytes, b"", payload])
    Ed25519PublicKey.from_public_bytes(b64url(jwk["x"])).verify(signature, to_be_signed)
    claims = cbor2.loads(payload)

    log = json.load(open(f"{directory}/log.json"))
    note = open(f"{directory}/checkpoint.txt").read()
    body, signatures = note.split("\n\n", 1)
    body += "\n"
    log_key = b64url(keys[log["kid"]]["x"])
    key_hash = hashlib.sha256(log["name"].encode() + b"\n\x01" + log_key).digest()[:4]
    for line in signatures.splitlines():
        if line.startswith("\u2014 " + log["name"] + " "):
            sig = base64.b64decode(line.rsplit(" ", 1)[1])
            if sig[:4] == key_hash:
                Ed25519PublicKey.from_public_bytes(log_key).verify(sig[4:], body.encode())
                break
    else:
        fail("the checkpoint is not signed by the log")
    origin, size, root = body.splitlines()[:3]
    size, root = int(size), base64.b64decode(root)
    if origin != log["name"] or size != log["size"]:
        fail("the checkpoint is not the log's")

    # RFC 9162 2.1.3.2, with its own hashing: the certificate is a leaf.
    def node(left, right):
        return hashlib.sha256(b"\x01" + left + right).digest()

    index = claims["l"]
    if index != log["index"] or index >= size:
        fail("the certificate's log index is not in the checkpointed tree")
    fn, sn, r = index, size - 1, hashlib.sha256(b"\x00" + cose).digest()
    for p in map(bytes.fromhex, log["proof"]):
        if sn == 0:
            fail("inclusion proof too long")
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r != root:
        fail("not in the log")
    print(json.dumps({"kid": kid, "claims": claims}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
