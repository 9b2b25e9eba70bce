-- Landing table for device location files (bulk-loaded by the gateway uploader).
-- A heap on purpose: no primary key, no clustered index; rows are deleted once loaded
-- by dbo.usp_LoadDeviceLocations.
CREATE TABLE stg.DeviceLocationImport
(
    ImportBatchId   UNIQUEIDENTIFIER NOT NULL,
    SerialNumber    NVARCHAR(64)     NULL,
    RecordedAtText  NVARCHAR(40)     NULL,
    Latitude        NVARCHAR(32)     NULL,
    Longitude       NVARCHAR(32)     NULL,
    RawJson         NVARCHAR(MAX)    NULL,
    SourceFile      NVARCHAR(260)    NULL,
    LoadedAt        DATETIME         NOT NULL CONSTRAINT DF_DeviceLocationImport_LoadedAt DEFAULT (GETDATE())
);
GO
CREATE NONCLUSTERED INDEX IX_DeviceLocationImport_Batch
    ON stg.DeviceLocationImport (ImportBatchId);
GO
