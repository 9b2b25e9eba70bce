-- Location fixes reported by devices (the biggest fact table). RecordedDate is computed.
CREATE TABLE [dbo].[DeviceLocation]
(
    [Id]              BIGINT         IDENTITY(1,1) NOT NULL,
    [DeviceId]        INT            NOT NULL CONSTRAINT [FK_DeviceLocation_Device] FOREIGN KEY REFERENCES [dbo].[Device] ([Id]),
    [WorkerId]        INT            NULL,
    [ZoneId]          INT            NULL,
    [RecordedAt]      DATETIME2(3)   NOT NULL,
    [RecordedDate]    AS (CAST([RecordedAt] AS DATE)) PERSISTED,
    [Latitude]        DECIMAL(9,6)   NOT NULL,
    [Longitude]       DECIMAL(9,6)   NOT NULL,
    [AccuracyMeters]  DECIMAL(18,4)  NULL,
    [IngestedAt]      DATETIME2(3)   NOT NULL CONSTRAINT [DF_DeviceLocation_IngestedAt] DEFAULT (SYSUTCDATETIME()),
    CONSTRAINT [PK_DeviceLocation] PRIMARY KEY CLUSTERED ([Id] ASC),
    CONSTRAINT [CK_DeviceLocation_Latitude] CHECK ([Latitude] BETWEEN -90 AND 90),
    CONSTRAINT [CK_DeviceLocation_Longitude] CHECK ([Longitude] BETWEEN -180 AND 180)
) ON [PRIMARY];
GO
CREATE NONCLUSTERED INDEX [IX_DeviceLocation_Device_RecordedAt]
    ON [dbo].[DeviceLocation] ([DeviceId] ASC, [RecordedAt] DESC)
    INCLUDE ([Latitude], [Longitude], [ZoneId]);
GO
CREATE NONCLUSTERED INDEX [IX_DeviceLocation_Zone_RecordedAt]
    ON [dbo].[DeviceLocation] ([ZoneId] ASC, [RecordedAt] ASC)
    INCLUDE ([WorkerId]);
GO
