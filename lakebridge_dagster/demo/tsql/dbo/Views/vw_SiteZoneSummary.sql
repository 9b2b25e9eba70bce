SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- Schema-bound: dbo.Site, dbo.Project and dbo.Zone cannot be altered under this view.
CREATE VIEW [dbo].[vw_SiteZoneSummary]
WITH SCHEMABINDING
AS
SELECT
    s.Id            AS SiteId,
    s.Code          AS SiteCode,
    s.Name          AS SiteName,
    p.Code          AS ProjectCode,
    z.Id            AS ZoneId,
    z.ParentZoneId,
    z.Name          AS ZoneName,
    z.ZoneType,
    z.IsRestricted,
    z.MaxOccupancy
FROM [dbo].[Site] AS s
INNER JOIN [dbo].[Project] AS p
        ON p.Id = s.ProjectId
INNER JOIN [dbo].[Zone] AS z
        ON z.SiteId = s.Id
WHERE s.DeletedAt IS NULL
  AND z.DeletedAt IS NULL;
GO
