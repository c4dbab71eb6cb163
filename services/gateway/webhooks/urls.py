"""Which URLs may receive webhooks: https, to public addresses only (no SSRF into the
platform's own network).

The host is resolved and every address it resolves to is checked, when an endpoint is
registered and again before each delivery (a name may be re-pointed at an internal address
after it was checked: DNS rebinding); a delivery then connects to the address checked, not
to whatever a second lookup would return. ``allow_private`` (the deployment's
``ZJTX_WEBHOOKS_ALLOW_PRIVATE``, development and tests) lifts both rules.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

import httpx
from kit.errors import FieldError, ProblemError

from gateway.webhooks.errors import (
    URL_INVALID,
    URL_NOT_ALLOWED,
    URL_RESERVED_NAME,
    URL_UNRESOLVABLE,
)

RESOLVE_SECONDS = 5.0
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# (test, Chinese, English), checked in this order: the first that holds names the refusal.
_REFUSED = (
    (lambda ip: ip.is_loopback, "回环地址", "loopback"),
    (lambda ip: ip.is_link_local, "链路本地地址", "link-local"),
    (lambda ip: ip.is_multicast, "组播地址", "multicast"),
    (lambda ip: ip.is_unspecified, "未指定地址", "unspecified"),
    (lambda ip: ip.is_reserved, "保留地址", "reserved"),
    (lambda ip: ip.is_private, "内网地址", "private"),
    (lambda ip: not ip.is_global, "非公网地址", "non-public"),
)


@dataclass(frozen=True)
class Target:
    """Where a delivery connects: the endpoint's URL and the address checked for it."""

    url: httpx.URL
    address: IPAddress

    @property
    def request_url(self) -> httpx.URL:
        """The URL with the checked address as its host (the name goes in Host and SNI)."""
        return self.url.copy_with(host=str(self.address))

    @property
    def host_header(self) -> str:
        return self.url.netloc.decode("ascii")

    @property
    def server_name(self) -> str:
        return self.url.raw_host.decode("ascii")


def _invalid(reason_zh: str, reason: str) -> ProblemError:
    return URL_INVALID(
        reason_zh=reason_zh,
        reason=reason,
        errors=[FieldError("url", "WEBHOOK_URL_INVALID", reason_zh, reason)],
    )


def parse(url: str, *, allow_private: bool) -> httpx.URL:
    """The URL if its form may receive webhooks (https, a host, no credentials)."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise _invalid("格式无效", "malformed") from exc
    schemes = ("https", "http") if allow_private else ("https",)
    if parsed.scheme not in schemes:
        raise _invalid("只能使用 https", "https only")
    if not parsed.raw_host:
        raise _invalid("缺少主机名", "no host")
    if parsed.userinfo:
        raise _invalid("不能包含用户名或密码", "no user name or password")
    if parsed.fragment:
        raise _invalid("不能包含 # 片段", "no fragment")
    return parsed


def refusal(address: IPAddress) -> tuple[str, str] | None:
    """Why ``address`` may not receive webhooks (Chinese, English), or None if it may."""
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:10.0.0.1 is 10.0.0.1
    checked: IPAddress = mapped if mapped is not None else address
    for test, zh, en in _REFUSED:
        if test(checked):
            return zh, en
    return None


# Special-use names (RFC 2606, RFC 6761) that are no one's receiver: refused without a
# lookup, and the loopback names unless private addresses are allowed.
_NOBODYS = ("example", "invalid", "test", "example.com", "example.net", "example.org")
_LOOPBACK = ("localhost",)


def _special_use(host: str, *, allow_private: bool) -> bool:
    name = host.lower().rstrip(".")
    names = _NOBODYS if allow_private else _NOBODYS + _LOOPBACK
    return any(name == n or name.endswith("." + n) for n in names)


async def resolve(url: httpx.URL, *, allow_private: bool) -> Target:
    """The address to deliver to: the first the host resolves to, once every one of them
    is allowed (a name with one internal address among public ones is refused whole)."""
    host = url.raw_host.decode("ascii")
    port = url.port or (443 if url.scheme == "https" else 80)
    if _special_use(host, allow_private=allow_private):
        raise URL_RESERVED_NAME(
            host=host,
            errors=[FieldError("url", "WEBHOOK_URL_RESERVED_NAME", "保留域名", "Special-use")],
        )
    try:
        async with asyncio.timeout(RESOLVE_SECONDS):
            found = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
    except (OSError, TimeoutError) as exc:
        raise URL_UNRESOLVABLE(
            host=host,
            errors=[FieldError("url", "WEBHOOK_URL_UNRESOLVABLE", "无法解析主机名", "No address")],
        ) from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    if not addresses:
        raise URL_UNRESOLVABLE(host=host)
    if not allow_private:
        for address in addresses:
            refused = refusal(address)
            if refused is not None:
                zh, en = refused
                raise URL_NOT_ALLOWED(
                    host=host,
                    address=str(address),
                    kind_zh=zh,
                    kind=en,
                    errors=[FieldError("url", "WEBHOOK_URL_NOT_ALLOWED", f"解析到{zh}", en)],
                )
    return Target(url, addresses[0])


async def check(url: str, *, allow_private: bool) -> Target:
    """``parse`` then ``resolve``: what registering an endpoint or delivering to it checks."""
    return await resolve(parse(url, allow_private=allow_private), allow_private=allow_private)
