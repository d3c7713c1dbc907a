"""Self-signed X.509 certificates: a pool's SAML signing certificate (GetSigningCertificate) and
the encryption certificate of a SAML provider with encrypted responses.

As with the token keys (see keys.py), generating an RSA key per pool would cost tens of
milliseconds each, so every certificate of the process is issued over one RSA key, generated on
first need. Certificates still differ (subject, serial number, validity), which is all a client
can tell apart without the private key.
"""

from __future__ import annotations

import base64
import datetime
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from . import clock

#: How long a certificate is valid from its creation (the mock's choice; AWS's is not known).
VALIDITY = datetime.timedelta(days=3650)

_key: rsa.RSAPrivateKey | None = None
_key_lock = threading.Lock()


def _shared_key() -> rsa.RSAPrivateKey:
    global _key
    if _key is None:
        with _key_lock:
            if _key is None:
                _key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return _key


def self_signed(common_name: str) -> str:
    """A new certificate for ``common_name``: DER in standard base64, no PEM armour (the form
    GetSigningCertificate answers with)."""
    key = _shared_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    # The clock module, not datetime.now(): a frozen test clock must date the certificate too.
    issued = datetime.datetime.fromtimestamp(int(clock.now()), tz=datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(issued)
        .not_valid_after(issued + VALIDITY)
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode("ascii")
