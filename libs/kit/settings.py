"""Settings shared by every service, read from the environment (prefix ``ZJTX_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ZJTX_", extra="ignore")

    # DATABASE_URL / NATS_URL are read without prefix: they are the conventional names.
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/zjtx",
        validation_alias="DATABASE_URL",
    )
    nats_url: str = Field(default="nats://127.0.0.1:4222", validation_alias="NATS_URL")
    data_dir: Path = REPO_ROOT / ".data"

    # JWT: production passes PEM keys in the environment; development generates a key pair.
    jwt_public_key: str | None = None
    jwt_private_key: str | None = None
    jwt_issuer: str = "zjtx"
    jwt_audience: str = "zjtx"
    jwt_ttl_seconds: int = 8 * 3600
    # The gateway's JWK Set, where every service learns the keys tokens are signed with (by
    # kid). Unset: the gateway on this machine (kit.services.PORTS); empty: the local key only.
    jwks_url: str | None = None
    jwks_refresh_seconds: float = 5.0  # an unknown kid fetches the set at most this often
    jwks_max_age_seconds: float = 300.0  # the set is fetched again when older than this

    # OAuth 2.0 client credentials of provincial systems (the gateway's /api/v1/auth/token).
    oauth_token_ttl_seconds: int = 15 * 60
    oauth_max_failures: int = 5  # wrong secrets in a row before the client is slowed down
    oauth_failure_window_seconds: int = 15 * 60  # a quiet spell this long forgets failures
    oauth_backoff_seconds: int = 30  # the first wait; each further failure doubles it
    oauth_backoff_max_seconds: int = 15 * 60

    # PII: "kid:base64key" pairs, comma separated; the first is used for new data.
    pii_keys: str | None = None
    pii_index_key: str | None = None

    # Outbox relay and consumers.
    relay_batch_size: int = 500
    relay_poll_seconds: float = 1.0
    consumer_batch_size: int = 256
    consumer_max_deliver: int = 5
    consumer_backoff_seconds: list[float] = [1.0, 5.0, 30.0, 120.0]
    stream_duplicate_window_seconds: int = 2 * 3600

    # Webhooks (the gateway's deliveries to provincial systems).
    webhooks_allow_private: bool = Field(
        False,
        description="deliver to loopback, private and link-local addresses, and over plain "
        "http (development and tests only): ZJTX_WEBHOOKS_ALLOW_PRIVATE",
    )
    webhooks_deliver: bool = True  # false: this replica fans out but sends nothing
    webhooks_max_in_flight: int = 64
    webhooks_per_endpoint: int = 4  # concurrent deliveries to one endpoint
    webhooks_poll_seconds: float = 1.0

    # Retention (kit.retention): published outbox events; webhook events, settled deliveries
    # and their attempts (a replay reaches back this far).
    outbox_retention_days: int = 30
    webhooks_retention_days: int = 90

    audit_retention_days: int = 180
    idempotency_ttl_hours: int = 24

    @property
    def asyncpg_dsn(self) -> str:
        return self.database_url.replace("postgresql+asyncpg://", "postgresql://")


@lru_cache
def get_settings() -> Settings:
    return Settings()
