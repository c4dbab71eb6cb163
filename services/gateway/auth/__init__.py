"""Provincial systems' credentials: OAuth 2.0 client credentials (RFC 6749 §4.4), the keys
their tokens are signed with, and the JWK Set every service verifies them by (RFC 7517)."""
