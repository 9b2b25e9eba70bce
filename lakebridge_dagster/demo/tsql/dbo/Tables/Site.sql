-- A physical site of a project (e.g. N'موقع الرياض - المرحلة ٢', N'Jeddah Tower Podium').
-- Location is the site's reference point (WGS 84, SRID 4326).
CREATE TABLE [dbo].[Site] (
    [Id]         INT             IDENTITY (1, 1) NOT NULL,
    [ProjectId]  INT             NOT NULL,
    [Code]       NVARCHAR (20)   NOT NULL,
    [Name]       NVARCHAR (200)  NOT NULL,
    [Address]    NVARCHAR (400)  NULL,
    [City]       NVARCHAR (100)  NULL,
    [Location]   GEOGRAPHY       NULL,
    [TimeZone]   NVARCHAR (64)   NOT NULL DEFAULT (N'Arab Standard Time'),
    [CreatedAt]  DATETIME2 (7)   NOT NULL CONSTRAINT [DF_Site_CreatedAt] DEFAULT (SYSUTCDATETIME()),
    [UpdatedAt]  DATETIME2 (7)   NULL,
    [DeletedAt]  DATETIME2 (7)   NULL,
    CONSTRAINT [PK_Site] PRIMARY KEY CLUSTERED ([Id] ASC),
    CONSTRAINT [UQ_Site_Code] UNIQUE NONCLUSTERED ([Code] ASC),
    CONSTRAINT [FK_Site_Project] FOREIGN KEY ([ProjectId]) REFERENCES [dbo].[Project] ([Id])
) ON [PRIMARY];
GO
CREATE SPATIAL INDEX [SIX_Site_Location]
    ON [dbo].[Site] ([Location])
    USING GEOGRAPHY_AUTO_GRID;
GO
