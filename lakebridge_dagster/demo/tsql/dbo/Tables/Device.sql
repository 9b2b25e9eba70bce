-- Wearables, gateways, beacons and trackers. A wearable is issued to one worker at a time.
CREATE TABLE dbo.Device (
    Id               INT               IDENTITY(1,1) NOT NULL,
    SerialNumber     NVARCHAR(64)      NOT NULL,
    DeviceType       NVARCHAR(30)      NOT NULL,
    WorkerId         INT               NULL,
    FirmwareVersion  NVARCHAR(20)      NULL,
    BatteryPercent   DECIMAL(5,2)      NULL,
    LastSeenAt       DATETIME2(3)      NULL,
    IsActive         BIT               NOT NULL CONSTRAINT DF_Device_IsActive DEFAULT (1),
    ProvisioningKey  UNIQUEIDENTIFIER  NOT NULL CONSTRAINT DF_Device_ProvisioningKey DEFAULT (NEWSEQUENTIALID()),
    CreatedAt        DATETIME2(3)      NOT NULL CONSTRAINT DF_Device_CreatedAt DEFAULT (SYSUTCDATETIME()),
    UpdatedAt        DATETIME2(3)      NULL,
    DeletedAt        DATETIME2(3)      NULL,
    CONSTRAINT PK_Device PRIMARY KEY CLUSTERED (Id),
    CONSTRAINT UQ_Device_SerialNumber UNIQUE NONCLUSTERED (SerialNumber),
    CONSTRAINT CK_Device_DeviceType CHECK (DeviceType IN (N'Wearable', N'Gateway', N'Beacon', N'Tracker')),
    CONSTRAINT CK_Device_Battery CHECK (BatteryPercent IS NULL OR BatteryPercent BETWEEN 0 AND 100)
);
GO
CREATE NONCLUSTERED INDEX IX_Device_WorkerId ON dbo.Device (WorkerId) WHERE WorkerId IS NOT NULL;
GO
