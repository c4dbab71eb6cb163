"""PII encryption, blind index and masking (DESIGN.md §4 PII)."""

from __future__ import annotations

import base64
import json
import stat
import threading
from pathlib import Path

import pytest
from kit.pii import (
    DEV_KEY_FILE,
    PiiCipher,
    PiiError,
    mask_email,
    mask_id_number,
    mask_name,
    mask_phone,
)

K1, K2, INDEX = b"1" * 32, b"2" * 32, b"i" * 32
ID_NUMBER = "420102198001011234"


def cipher(
    active: str = "k1", keys: dict[str, bytes] | None = None, index_key: bytes = INDEX
) -> PiiCipher:
    return PiiCipher(keys or {"k1": K1}, active, index_key)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


class TestEncryption:
    def test_round_trip_without_plaintext_in_the_blob(self) -> None:
        c = cipher()
        for value in (ID_NUMBER, "13812345678", "王文彬", ""):
            blob = c.encrypt(value, context="trainee.id_number")
            assert value.encode() not in blob or not value
            assert c.decrypt(blob, context="trainee.id_number") == value

    def test_layout_version_key_id_nonce(self) -> None:
        blob = cipher().encrypt("abc", context="c")
        assert blob[:2] == b"v1" and blob[2] == 2 and blob[3:5] == b"k1"
        assert len(blob) == 2 + 1 + 2 + 12 + len("abc") + 16
        assert PiiCipher.key_id(blob) == "k1"

    def test_nonce_is_random(self) -> None:
        c = cipher()
        assert c.encrypt("x", context="c") != c.encrypt("x", context="c")

    def test_context_is_bound(self) -> None:
        blob = cipher().encrypt("x", context="contact.mobile")
        with pytest.raises(PiiError):
            cipher().decrypt(blob, context="contact.email")

    @pytest.mark.parametrize("position", [3, 5, 17, -1])  # kid, nonce, ciphertext, tag
    def test_tampering_is_detected(self, position: int) -> None:
        blob = bytearray(cipher().encrypt("secret", context="c"))
        blob[position] ^= 1
        with pytest.raises(PiiError):
            cipher().decrypt(bytes(blob), context="c")

    @pytest.mark.parametrize(
        "blob",
        [
            b"",
            b"v1",
            b"v2\x02k1" + b"\x00" * 40,
            b"v1\x00" + b"\x00" * 40,
            b"v1\x02k1" + b"\x00" * 20,
            b"v1\x02\xff\xfe" + b"\x00" * 40,
        ],
    )
    def test_malformed_blobs_raise_pii_error(self, blob: bytes) -> None:
        with pytest.raises(PiiError):
            cipher().decrypt(blob, context="c")

    def test_unknown_key_id(self) -> None:
        blob = cipher("k9", {"k9": K2}).encrypt("x", context="c")
        with pytest.raises(PiiError, match="unknown PII key id"):
            cipher().decrypt(blob, context="c")

    def test_rotation(self) -> None:
        old = cipher().encrypt("secret", context="c")
        rotated = cipher("k2", {"k2": K2, "k1": K1})
        assert rotated.active_key_id == "k2"
        assert rotated.decrypt(old, context="c") == "secret"
        new = rotated.rotate(old, context="c")
        assert PiiCipher.key_id(new) == "k2" and rotated.decrypt(new, context="c") == "secret"
        assert rotated.rotate(new, context="c") is new  # already under the active key
        with pytest.raises(PiiError):
            cipher().decrypt(new, context="c")  # k1 alone cannot read it any more

    def test_rotation_checks_the_context(self) -> None:
        old = cipher().encrypt("secret", context="c")
        with pytest.raises(PiiError):
            cipher("k2", {"k2": K2, "k1": K1}).rotate(old, context="other")

    @pytest.mark.parametrize(
        "keys, active, index_key",
        [
            ({"k": b"short"}, "k", INDEX),
            ({"k1": K1}, "k2", INDEX),
            ({}, "k1", INDEX),
            ({"k1": K1}, "k1", b"short"),
            ({"": K1}, "", INDEX),
            ({"k" * 256: K1}, "k" * 256, INDEX),
        ],
    )
    def test_bad_keys_are_refused(
        self, keys: dict[str, bytes], active: str, index_key: bytes
    ) -> None:
        with pytest.raises(PiiError):
            PiiCipher(keys, active, index_key)

    def test_repr_shows_no_key_material(self) -> None:
        text = repr(cipher("k2", {"k2": K2, "k1": K1}))
        assert "k1" in text and "k2" in text
        assert "1111" not in text and "2222" not in text and "iiii" not in text


class TestBlindIndex:
    def test_deterministic_32_bytes(self) -> None:
        index = cipher().blind_index(ID_NUMBER, context="trainee.id_number")
        assert len(index) == 32
        assert index == cipher().blind_index(ID_NUMBER, context="trainee.id_number")

    def test_independent_of_the_encryption_keys(self) -> None:
        assert cipher().blind_index("x", context="e") == cipher("k2", {"k2": K2}).blind_index(
            "x", context="e"
        )

    def test_context_separated(self) -> None:
        c = cipher()
        assert c.blind_index("x", context="e") != c.blind_index("x", context="m")
        # the separator keeps context/value boundaries apart
        assert c.blind_index("b", context="a") != c.blind_index("", context="ab")

    @pytest.mark.parametrize(
        "a, b",
        [
            (" a@b.cn ", "A@B.CN"),
            ("42010219800101123x", "42010219800101123X"),
            ("１３８１２３４５６７８", "13812345678"),
            ("\u300013812345678\t", "13812345678"),
        ],
    )
    def test_normalised(self, a: str, b: str) -> None:
        c = cipher()
        assert c.blind_index(a, context="e") == c.blind_index(b, context="e")

    def test_different_index_keys_differ(self) -> None:
        other = cipher(index_key=b"j" * 32)
        assert cipher().blind_index("x", context="e") != other.blind_index("x", context="e")


class TestFromSettings:
    def test_development_keys_persist_with_private_mode(self, tmp_path: Path) -> None:
        first = PiiCipher.from_settings(None, None, tmp_path)
        second = PiiCipher.from_settings(None, None, tmp_path)
        assert second.decrypt(first.encrypt("x", context="c"), context="c") == "x"
        assert first.decrypt(second.encrypt("y", context="c"), context="c") == "y"
        assert first.blind_index("x", context="c") == second.blind_index("x", context="c")
        key_file = tmp_path / DEV_KEY_FILE
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert [p.name for p in tmp_path.iterdir()] == [DEV_KEY_FILE]  # no temp files left

    def test_development_directory_is_created(self, tmp_path: Path) -> None:
        dev_dir = tmp_path / "data" / "keys"
        PiiCipher.from_settings(None, None, dev_dir)
        assert (dev_dir / DEV_KEY_FILE).is_file()

    def test_empty_strings_count_as_unset(self, tmp_path: Path) -> None:
        """docker-compose passes ``${ZJTX_PII_KEYS:-}``, i.e. an empty string."""
        PiiCipher.from_settings("", " ", tmp_path)
        assert (tmp_path / DEV_KEY_FILE).is_file()

    def test_existing_development_file_is_kept(self, tmp_path: Path) -> None:
        (tmp_path / DEV_KEY_FILE).write_text(
            json.dumps({"keys": {"old": b64(K1)}, "active": "old", "index": b64(INDEX)})
        )
        blob = cipher("old", {"old": K1}).encrypt("x", context="c")
        assert PiiCipher.from_settings(None, None, tmp_path).decrypt(blob, context="c") == "x"

    def test_concurrent_starters_agree_on_one_key_file(self, tmp_path: Path) -> None:
        barrier = threading.Barrier(8)
        ciphers: list[PiiCipher] = []

        def start() -> None:
            barrier.wait()
            ciphers.append(PiiCipher.from_settings(None, None, tmp_path))

        threads = [threading.Thread(target=start) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(ciphers) == 8
        blob = ciphers[0].encrypt("x", context="c")
        assert all(c.decrypt(blob, context="c") == "x" for c in ciphers)
        assert [p.name for p in tmp_path.iterdir()] == [DEV_KEY_FILE]

    def test_corrupt_development_file(self, tmp_path: Path) -> None:
        (tmp_path / DEV_KEY_FILE).write_text("{not json")
        with pytest.raises(PiiError, match="unreadable"):
            PiiCipher.from_settings(None, None, tmp_path)

    def test_keys_from_the_environment(self, tmp_path: Path) -> None:
        old = cipher("old", {"old": K1}).encrypt("x", context="c")
        c = PiiCipher.from_settings(f" new:{b64(K2)} , old:{b64(K1)},", b64(INDEX), tmp_path)
        assert c.active_key_id == "new"
        assert c.decrypt(old, context="c") == "x"
        assert PiiCipher.key_id(c.encrypt("x", context="c")) == "new"
        assert c.blind_index("x", context="c") == cipher().blind_index("x", context="c")
        assert not (tmp_path / DEV_KEY_FILE).exists()

    @pytest.mark.parametrize(
        "keys_spec, index_spec",
        [
            (f"k1:{b64(K1)}", None),
            (None, b64(INDEX)),
            (f"k1:{b64(K1)}", ""),
        ],
    )
    def test_half_configured_is_an_error(
        self, keys_spec: str | None, index_spec: str | None, tmp_path: Path
    ) -> None:
        with pytest.raises(PiiError, match="both"):
            PiiCipher.from_settings(keys_spec, index_spec, tmp_path)
        assert not (tmp_path / DEV_KEY_FILE).exists()

    @pytest.mark.parametrize(
        "keys_spec, index_spec",
        [
            (b64(K1), b64(INDEX)),  # no key id
            (f":{b64(K1)}", b64(INDEX)),  # empty key id
            (f"k1:{b64(K1)},k1:{b64(K2)}", b64(INDEX)),  # duplicate key id
            ("k1:not base64!", b64(INDEX)),
            (f"k1:{b64(b'short')}", b64(INDEX)),
            (f"k1:{b64(K1)}", "not base64!"),
            (",", b64(INDEX)),
        ],
    )
    def test_malformed_specs(self, keys_spec: str, index_spec: str, tmp_path: Path) -> None:
        with pytest.raises(PiiError) as caught:
            PiiCipher.from_settings(keys_spec, index_spec, tmp_path)
        assert b64(K1) not in str(caught.value) and b64(INDEX) not in str(caught.value)


class TestMasking:
    @pytest.mark.parametrize(
        "value, masked",
        [
            (ID_NUMBER, "420***********1234"),
            ("42010219800101123X", "420***********123X"),
            ("420102800101123", "420********1123"),
            ("1234567", "*******"),
            ("12", "**"),
            ("", ""),
        ],
    )
    def test_id_number(self, value: str, masked: str) -> None:
        assert mask_id_number(value) == masked

    @pytest.mark.parametrize(
        "value, masked",
        [
            ("13812345678", "138****5678"),
            (" 13812345678 ", "138****5678"),
            ("027-87654321", "027*******21"),
            ("02787654321", "027******21"),
            ("138 1234 5678", "138********78"),
            ("12345", "*****"),
            ("1", "*"),
            ("", ""),
        ],
    )
    def test_phone(self, value: str, masked: str) -> None:
        assert mask_phone(value) == masked

    @pytest.mark.parametrize(
        "value, masked",
        [
            ("zhangsan@example.com", "z***@example.com"),
            ("a@b.cn", "a***@b.cn"),
            ("@example.com", "***@example.com"),
            ("zhangsan", "z***"),
            ("", ""),
            ('"a@b"@example.com', '"***@example.com'),
        ],
    )
    def test_email(self, value: str, masked: str) -> None:
        assert mask_email(value) == masked

    @pytest.mark.parametrize(
        "value, masked",
        [
            ("张三丰", "张**"),
            ("张三", "张*"),
            ("欧阳娜娜", "欧***"),
            ("张", "*"),
            ("", ""),
        ],
    )
    def test_name(self, value: str, masked: str) -> None:
        assert mask_name(value) == masked

    def test_masks_never_contain_the_hidden_part(self) -> None:
        assert "2345" not in mask_phone("13812345678")
        assert "19800101" not in mask_id_number(ID_NUMBER)
        assert "hangsan" not in mask_email("zhangsan") + mask_email("zhangsan@example.com")
