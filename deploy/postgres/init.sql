-- Runs once, when the PostgreSQL container initialises an empty data volume.
-- One schema per service, owned by the application role (POSTGRES_USER). Production gives each
-- service its own role owning only its schema; compose keeps one role for simplicity.
-- `zjtx migrate` then creates each schema's tables and alembic version table.
CREATE SCHEMA IF NOT EXISTS registry AUTHORIZATION CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS training AUTHORIZATION CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS diagnosis AUTHORIZATION CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS innovation AUTHORIZATION CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS evaluation AUTHORIZATION CURRENT_USER;
CREATE SCHEMA IF NOT EXISTS gateway AUTHORIZATION CURRENT_USER;
