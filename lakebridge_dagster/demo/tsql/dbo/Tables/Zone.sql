-- A geofenced area inside a site. Zones nest (a floor inside a building): ParentZoneId.
-- The foreign keys of this table live in ForeignKeys.sql.
CREATE TABLE dbo.Zone
(
    Id            INT            IDENTITY(1,1) NOT NULL,
    SiteId        INT            NOT NULL,
    ParentZoneId  INT            NULL,
    Name          NVARCHAR(100)  NOT NULL,
    ZoneType      NVARCHAR(30)   NOT NULL CONSTRAINT DF_Zone_ZoneType DEFAULT (N'Work'),
    Boundary      GEOGRAPHY      NOT NULL,
    MaxOccupancy  INT            NULL,
    IsRestricted  BIT            NOT NULL CONSTRAINT DF_Zone_IsRestricted DEFAULT (0),
    CreatedAt     DATETIME2(3)   NOT NULL CONSTRAINT DF_Zone_CreatedAt DEFAULT (SYSUTCDATETIME()),
    UpdatedAt     DATETIME2(3)   NULL,
    DeletedAt     DATETIME2(3)   NULL,
    CONSTRAINT PK_Zone PRIMARY KEY CLUSTERED (Id),
    CONSTRAINT CK_Zone_ZoneType CHECK (ZoneType IN (N'Work', N'Restricted', N'Storage', N'Welfare', N'Access')),
    CONSTRAINT CK_Zone_MaxOccupancy CHECK (MaxOccupancy IS NULL OR MaxOccupancy > 0),
    CONSTRAINT CK_Zone_NotOwnParent CHECK (ParentZoneId IS NULL OR ParentZoneId <> Id)
) ON [PRIMARY];
GO  
CREATE NONCLUSTERED INDEX IX_Zone_SiteId
    ON dbo.Zone (SiteId, ParentZoneId)
    WHERE DeletedAt IS NULL;
GO  
CREATE SPATIAL INDEX SIX_Zone_Boundary
    ON dbo.Zone (Boundary)
    USING GEOGRAPHY_AUTO_GRID;
GO  
