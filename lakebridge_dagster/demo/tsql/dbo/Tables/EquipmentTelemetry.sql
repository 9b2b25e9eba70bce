-- Telemetry samples from plant and machinery (engine hours, fuel, coolant temperature).
-- Payload keeps the raw JSON message from the telematics gateway.
CREATE TABLE dbo.EquipmentTelemetry
(
    Id            BIGINT         IDENTITY(1,1) NOT NULL,
    EquipmentId   INT            NOT NULL,
    RecordedAt    DATETIME2(3)   NOT NULL,
    EngineHours   DECIMAL(18,4)  NULL,
    FuelLevelPct  DECIMAL(18,4)  NULL,
    CoolantTempC  DECIMAL(18,4)  NULL,
    Rpm           INT            NULL,
    IsIdle        BIT            NOT NULL CONSTRAINT DF_EquipmentTelemetry_IsIdle DEFAULT (0),
    Payload       NVARCHAR(MAX)  NULL,
    CreatedAt     DATETIME2(3)   NOT NULL CONSTRAINT DF_EquipmentTelemetry_CreatedAt DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT PK_EquipmentTelemetry PRIMARY KEY CLUSTERED (Id),
    CONSTRAINT FK_EquipmentTelemetry_Equipment FOREIGN KEY (EquipmentId) REFERENCES dbo.Equipment (Id),
    CONSTRAINT CK_EquipmentTelemetry_Fuel CHECK (FuelLevelPct IS NULL OR FuelLevelPct BETWEEN 0 AND 100),
    CONSTRAINT CK_EquipmentTelemetry_Payload CHECK (Payload IS NULL OR ISJSON(Payload) = 1)
) ON [PRIMARY];
GO
CREATE NONCLUSTERED INDEX IX_EquipmentTelemetry_Equipment_RecordedAt
    ON dbo.EquipmentTelemetry (EquipmentId, RecordedAt)
    INCLUDE (EngineHours, FuelLevelPct, CoolantTempC);
GO
