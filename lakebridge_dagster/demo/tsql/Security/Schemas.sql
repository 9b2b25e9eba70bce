-- Schemas of the WakeCapDW project.
-- Schemas are not catalog objects: the scripts extractor skips these batches.
CREATE SCHEMA [stg]
    AUTHORIZATION [dbo];
GO
CREATE SCHEMA [audit]
    AUTHORIZATION [dbo];
GO
