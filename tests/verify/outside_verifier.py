"""An outside check of Mitra's certificates, written against the published
formats with packages Mitra's code has nothing to do with: cbor2 (CBOR),
base45 (RFC 9285), cryptography (Ed25519), the standard library's zlib,
hashlib and urllib, and Debian's poppler (pdftoppm) and zbar (zbarimg).

Two ways to run it:

  outside_verifier.py DIR
      reads what a verifier in another state would have been handed:
      DIR/payload.txt     the QR code's text (MTR1:...)
      DIR/jwks.json       the published keys (/.well-known/jwks.json)
      DIR/checkpoint.txt  a signed checkpoint of the transparency log (C2SP)
      DIR/log.json        {"name", "kid"} of the log's key, the certificate's
                          index, the tree size and its inclusion proof (hex)

  outside_verifier.py --pdf FILE --host URL
      renders the certificate PDF to a picture (pdftoppm), reads the QR code
      off the picture (zbarimg), fetches the host's published keys, its
      signed checkpoint and the certificate's inclusion proof, and checks
      them all.

Exits 0 with the claims printed when every check passes, 1 otherwise.
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
import zlib

import base45
import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def fail(why):
    print(f"REJECTED: {why}")
    sys.exit(1)


def b64url(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def verify_payload(text, keys):
    """The claims, kid and COSE bytes of a payload signed by one of `keys`."""
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
    return cbor2.loads(payload), kid, cose


def verify_checkpoint(note, name, log_key):
    """(origin, size, root) of a checkpoint signed by the log's key."""
    body, signatures = note.split("\n\n", 1)
    body += "\n"
    key_hash = hashlib.sha256(name.encode() + b"\n\x01" + log_key).digest()[:4]
    for line in signatures.splitlines():
        if line.startswith("\u2014 " + name + " "):
            sig = base64.b64decode(line.rsplit(" ", 1)[1])
            if sig[:4] == key_hash:
                Ed25519PublicKey.from_public_bytes(log_key).verify(sig[4:], body.encode())
                break
    else:
        raise ValueError("the checkpoint is not signed by the log")
    origin, size, root = body.splitlines()[:3]
    return origin, int(size), base64.b64decode(root)


def verify_inclusion(cose, index, size, proof, root):
    """RFC 9162 2.1.3.2, with its own hashing: the certificate is a leaf."""

    def node(left, right):
        return hashlib.sha256(b"\x01" + left + right).digest()

    if index >= size:
        fail("the certificate's log index is not in the checkpointed tree")
    fn, sn, r = index, size - 1, hashlib.sha256(b"\x00" + cose).digest()
    for p in map(bytes.fromhex, proof):
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


def main(directory):
    text = open(f"{directory}/payload.txt").read().strip()
    keys = {k["kid"]: k for k in json.load(open(f"{directory}/jwks.json"))["keys"]}
    claims, kid, cose = verify_payload(text, keys)
    log = json.load(open(f"{directory}/log.json"))
    note = open(f"{directory}/checkpoint.txt").read()
    try:
        origin, size, root = verify_checkpoint(note, log["name"], b64url(keys[log["kid"]]["x"]))
    except Exception as e:
        fail(f"the checkpoint does not verify: {type(e).__name__} {e}")
    if origin != log["name"] or size != log["size"]:
        fail("the checkpoint is not the log's")
    if claims["l"] != log["index"]:
        fail("the certificate's log index is not the proof's")
    verify_inclusion(cose, claims["l"], size, log["proof"], root)
    print(json.dumps({"kid": kid, "claims": claims}, ensure_ascii=False))


def qr_from_pdf(pdf):
    """The text of the QR code printed on the PDF's first page."""
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "page")
        subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", "-f", "1", pdf, page], check=True)
        read = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", page + ".png"],
                              capture_output=True, text=True)
        if read.returncode != 0 or not read.stdout.strip():
            fail(f"no QR code could be read off the rendered page: {read.stderr.strip()}")
        return read.stdout.strip().splitlines()[0]


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def from_host(pdf, host):
    text = qr_from_pdf(pdf)
    jwks = json.loads(fetch(f"{host}/.well-known/jwks.json"))["keys"]
    keys = {k["kid"]: k for k in jwks}
    claims, kid, cose = verify_payload(text, keys)
    note = fetch(f"{host}/log/checkpoint")
    name = note.splitlines()[0]
    log_keys = [k for k in jwks if k.get("department") == "transparency-log"]
    if not log_keys:
        fail("the host publishes no transparency-log key")
    for log_key in log_keys:
        try:
            origin, size, root = verify_checkpoint(note, name, b64url(log_key["x"]))
            break
        except Exception:
            continue
    else:
        fail("the checkpoint is signed by none of the log's keys")
    proof = json.loads(fetch(f"{host}/log/inclusion?index={claims['l']}&size={size}"))["proof"]
    verify_inclusion(cose, claims["l"], size, proof, root)
    print(json.dumps({"kid": kid, "claims": claims, "payload": text, "tree_size": size}, ensure_ascii=False))


if __name__ == "__main__":
    if sys.argv[1] == "--pdf":
        from_host(sys.argv[2], sys.argv[4].rstrip("/"))
    else:
        main(sys.argv[1])
