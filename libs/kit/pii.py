"""Personal data (ID numbers, phones, emails): encrypted at rest, blind-indexed, masked.

Ciphertext layout::

    b"v1" | len(kid) (1 byte) | kid (UTF-8) | nonce (12 bytes) | AES-256-GCM(plaintext) + tag

The *context* (e.g. ``"trainee.id_number"``) is bound as associated data, so a value cannot
be moved to another column and still decrypt. The key id lets old rows be read after a key
rotation; ``rotate`` re-encrypts under the active key. The blind index is an HMAC of the
normalised value, so uniqueness and lookups work without decrypting.

Nothing here logs, and no error message contains plaintext or key material. The module holds
no global state: callers construct a :class:`PiiCipher` (``kit.context`` does it once per
service).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kit.keyfiles import write_once

__all__ = [
    "DEV_KEY_FILE",
    "PiiCipher",
    "PiiError",
    "mask_email",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "normalise",
]

_VERSION = b"v1"
_NONCE_SIZE = 12
_TAG_SIZE = 16
_KEY_SIZE = 32
_MIN_INDEX_KEY_SIZE = 32
DEV_KEY_FILE = "pii-dev-keys.json"


class PiiError(Exception):
    """A PII key, key specification or ciphertext is unusable. Never carries plaintext."""


def normalise(value: str) -> str:
    """The form a value is blind-indexed in: NFKC, surrounding whitespace removed, upper case.

    NFKC folds full-width input (``１３８…``, ``ｘ``) to ASCII, which Chinese input methods
    produce; upper case makes the ID-number check character ``x``/``X`` and e-mail addresses
    compare equal regardless of case.
    """
    return unicodedata.normalize("NFKC", value).strip().upper()


class PiiCipher:
    """AES-256-GCM with key ids, plus an HMAC-SHA256 blind index.

    ``keys`` maps key id → 32-byte AES key; ``active`` names the key new data is encrypted
    with; the others are kept to decrypt (and :meth:`rotate`) older data. ``index_key`` is the
    HMAC key of the blind index (at least 32 bytes). The index key cannot be rotated without
    recomputing every stored index, so it has no key id.
    """

    def __init__(self, keys: Mapping[str, bytes], active: str, index_key: bytes) -> None:
        if not keys:
            raise PiiError("no PII encryption key is configured")
        if active not in keys:
            raise PiiError(f"the active PII key id {active!r} has no key")
        for kid, key in keys.items():
            if not 1 <= len(kid.encode()) <= 255:
                raise PiiError("a PII key id must be 1 to 255 bytes long")
            if len(key) != _KEY_SIZE:
                raise PiiError(f"PII key {kid!r} must be {_KEY_SIZE} bytes")
        if len(index_key) < _MIN_INDEX_KEY_SIZE:
            raise PiiError(f"the PII index key must be at least {_MIN_INDEX_KEY_SIZE} bytes")
        self._aead = {kid: AESGCM(bytes(key)) for kid, key in keys.items()}
        self._active = active
        self._index_key = bytes(index_key)

    def __repr__(self) -> str:  # never show key material
        return f"PiiCipher(active={self._active!r}, key_ids={sorted(self._aead)!r})"

    @property
    def active_key_id(self) -> str:
        return self._active

    def encrypt(self, plaintext: str, *, context: str) -> bytes:
        return self.encrypt_bytes(plaintext.encode(), context=context)

    def decrypt(self, blob: bytes, *, context: str) -> str:
        try:
            return self.decrypt_bytes(blob, context=context).decode()
        except UnicodeDecodeError as exc:
            raise PiiError("PII ciphertext does not verify (tampered or wrong context)") from exc

    def encrypt_bytes(self, plaintext: bytes, *, context: str) -> bytes:
        """For documents holding PII (e.g. a stored response), in the same layout."""
        nonce = os.urandom(_NONCE_SIZE)
        kid = self._active.encode()
        sealed = self._aead[self._active].encrypt(nonce, plaintext, context.encode())
        return _VERSION + bytes([len(kid)]) + kid + nonce + sealed

    def decrypt_bytes(self, blob: bytes, *, context: str) -> bytes:
        kid, nonce, sealed = _split(blob)
        aead = self._aead.get(kid)
        if aead is None:
            raise PiiError(f"unknown PII key id {kid!r}")
        try:
            return aead.decrypt(nonce, sealed, context.encode())
        except InvalidTag as exc:
            raise PiiError("PII ciphertext does not verify (tampered or wrong context)") from exc

    @staticmethod
    def key_id(blob: bytes) -> str:
        """The key id a ciphertext was made with (to find rows that need :meth:`rotate`)."""
        return _split(blob)[0]

    def rotate(self, blob: bytes, *, context: str) -> bytes:
        """``blob`` unchanged if already under the active key, else re-encrypted under it."""
        if _split(blob)[0] == self._active:
            return blob
        return self.encrypt(self.decrypt(blob, context=context), context=context)

    def blind_index(self, value: str, *, context: str) -> bytes:
        """HMAC-SHA256(index_key, context NUL normalise(value)): 32 bytes, deterministic."""
        message = f"{context}\x00{normalise(value)}".encode()
        return hmac.new(self._index_key, message, hashlib.sha256).digest()

    @classmethod
    def from_settings(
        cls, keys_spec: str | None, index_key_spec: str | None, dev_dir: Path
    ) -> PiiCipher:
        """Keys from the environment, or development keys kept in ``dev_dir``.

        ``keys_spec`` is ``"kid:base64key,kid2:base64key"`` (the first is active) and
        ``index_key_spec`` a base64 key. Empty strings count as unset (Compose passes
        ``${VAR:-}``). With both unset, ``dev_dir/pii-dev-keys.json`` is created on first use
        (mode 0600) and read afterwards, so a restart still decrypts; services sharing the
        directory agree on one file even when they start together. Setting only one of the two
        is a configuration error rather than a silent fallback to development keys.
        """
        keys_spec = keys_spec.strip() if keys_spec else None
        index_key_spec = index_key_spec.strip() if index_key_spec else None
        if keys_spec and index_key_spec:
            keys, active = _parse_keys(keys_spec)
            return cls(keys, active, _b64("the PII index key", index_key_spec))
        if keys_spec or index_key_spec:
            raise PiiError(
                "set both the PII keys and the PII index key "
                "(ZJTX_PII_KEYS, ZJTX_PII_INDEX_KEY), or neither for development"
            )
        return cls._from_dev_file(dev_dir / DEV_KEY_FILE)

    @classmethod
    def _from_dev_file(cls, path: Path) -> PiiCipher:
        if not path.exists():
            _create_dev_file(path)
        try:
            spec = json.loads(path.read_text())
            keys = {
                str(kid): _b64(f"development key {kid!r}", str(key))
                for kid, key in spec["keys"].items()
            }
            active, index = str(spec["active"]), _b64("the development index key", spec["index"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise PiiError(f"unreadable development PII key file {path}") from exc
        return cls(keys, active, index)


def _split(blob: bytes) -> tuple[str, bytes, bytes]:
    if len(blob) < 3 or blob[:2] != _VERSION:
        raise PiiError("not a PII ciphertext")
    size = blob[2]
    body = 3 + size
    if size == 0 or len(blob) < body + _NONCE_SIZE + _TAG_SIZE:
        raise PiiError("truncated PII ciphertext")
    try:
        kid = blob[3:body].decode()
    except UnicodeDecodeError as exc:
        raise PiiError("malformed PII key id") from exc
    return kid, blob[body : body + _NONCE_SIZE], blob[body + _NONCE_SIZE :]


def _b64(what: str, text: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:  # the message never includes the key
        raise PiiError(f"{what} is not valid base64") from exc


def _parse_keys(spec: str) -> tuple[dict[str, bytes], str]:
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for position, item in enumerate(spec.split(","), start=1):
        if not item.strip():
            continue
        kid, sep, key = item.partition(":")
        kid = kid.strip()
        if not sep or not kid:
            raise PiiError(f"PII key entry {position} is not 'kid:base64key'")
        if kid in keys:
            raise PiiError(f"PII key id {kid!r} appears twice")
        keys[kid] = _b64(f"PII key {kid!r}", key)
        order.append(kid)
    if not order:
        raise PiiError("no PII encryption key is configured")
    return keys, order[0]


def _create_dev_file(path: Path) -> None:
    spec = {
        "keys": {"dev1": base64.b64encode(os.urandom(_KEY_SIZE)).decode()},
        "active": "dev1",
        "index": base64.b64encode(os.urandom(_KEY_SIZE)).decode(),
    }
    write_once(path, json.dumps(spec).encode())


# --- masking: what responses show to callers without ``pii:read`` --------------------------


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    """Keep ``keep_start`` leading and ``keep_end`` trailing characters; values too short to
    hide anything in between are masked completely."""
    n = len(value)
    if n <= keep_start + keep_end:
        return "*" * n
    return value[:keep_start] + "*" * (n - keep_start - keep_end) + value[n - keep_end :]


def mask_id_number(value: str) -> str:
    """``420102198001011234`` → ``420***********1234`` (first 3, last 4 characters)."""
    return _mask(value.strip(), 3, 4)


def mask_phone(value: str) -> str:
    """Mobiles (11 digits starting with 1): first 3 and last 4 digits, ``138****5678``.

    Anything else (landlines such as ``027-87654321``, numbers with extensions or spaces):
    first 3 and last 2 characters, everything between masked including separators, so
    ``027*******21``. Values of 5 characters or fewer are masked completely.
    """
    phone = value.strip()
    if len(phone) == 11 and phone.isdigit() and phone.startswith("1"):
        return _mask(phone, 3, 4)
    return _mask(phone, 3, 2)


def mask_email(value: str) -> str:
    """``zhangsan@example.com`` → ``z***@example.com``: first character of the local part and
    a fixed ``***`` (the length is not revealed); the domain stays. A value without ``@``
    becomes its first character plus ``***``."""
    email = value.strip()
    if not email:
        return ""
    local, at, domain = email.rpartition("@")
    if not at:
        return email[:1] + "***"
    return local[:1] + "***@" + domain


def mask_name(value: str) -> str:
    """``张三丰`` → ``张**``: the first character (the surname, for most names) is kept; a
    one-character value is masked completely."""
    name = value.strip()
    if len(name) <= 1:
        return "*" * len(name)
    return name[:1] + "*" * (len(name) - 1)
