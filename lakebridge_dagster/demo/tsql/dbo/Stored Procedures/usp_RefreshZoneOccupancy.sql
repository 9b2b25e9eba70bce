SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
CREATE PROCEDURE [dbo].[usp_RefreshZoneOccupancy]
    @SiteId           INT,
    @LookbackMinutes  INT = 15
AS
BEGIN
    SET NOCOUNT ON;

    /*
        Rebuilds the ##ZoneOccupancy snapshot that the control-room dashboard polls,
        zone by zone (root zones first), and opens a safety ticket for every zone
        above its maximum occupancy.

        History: this used to be two scripts run one after the other, separated by
GO
        which is why the snapshot table is still created on demand below.
        The line above is inside this comment: it does not end the batch.
    */

    DECLARE @ZoneId        INT,
            @ZoneName      NVARCHAR(100),
            @ZonePath      NVARCHAR(1000),
            @Boundary      GEOGRAPHY,
            @MaxOccupancy  INT,
            @workers       INT,
            @nearestGw     FLOAT;
    DECLARE @zonesProcessed  INT = 0,
            @overCapacity    INT = 0;
    DECLARE @since DATETIME2(3) = DATEADD(MINUTE, -@LookbackMinutes, SYSUTCDATETIME());

    IF OBJECT_ID(N'tempdb..##ZoneOccupancy') IS NULL
    BEGIN
        CREATE TABLE ##ZoneOccupancy
        (
            SiteId                INT            NOT NULL,
            ZoneId                INT            NOT NULL,
            ZonePath              NVARCHAR(1000) NOT NULL,
            WorkerCount           INT            NOT NULL,
            MaxOccupancy          INT            NULL,
            NearestGatewayMeters  FLOAT          NULL,
            BoundaryWkt           NVARCHAR(MAX)  NULL,
            RefreshedAt           DATETIME2(3)   NOT NULL,
            PRIMARY KEY (SiteId, ZoneId)
        );
    END;

    DELETE FROM ##ZoneOccupancy WHERE SiteId = @SiteId;

    -- Zone tree of the site: root zones, then their children, with a readable path.
    CREATE TABLE #zoneTree
    (
        ZoneId    INT             NOT NULL PRIMARY KEY,
        Depth     INT             NOT NULL,
        ZonePath  NVARCHAR(1000)  NOT NULL
    );

    WITH tree AS
    (
        SELECT z.Id, 0 AS Depth, CAST(z.Name AS NVARCHAR(1000)) AS ZonePath
        FROM dbo.Zone AS z
        WHERE z.SiteId = @SiteId
          AND z.ParentZoneId IS NULL
          AND z.DeletedAt IS NULL
        UNION ALL
        SELECT c.Id, t.Depth + 1, CAST(t.ZonePath + N' / ' + c.Name AS NVARCHAR(1000))
        FROM dbo.Zone AS c
        INNER JOIN tree AS t
                ON c.ParentZoneId = t.Id
        WHERE c.DeletedAt IS NULL
    )
    INSERT INTO #zoneTree (ZoneId, Depth, ZonePath)
    SELECT Id, Depth, ZonePath
    FROM tree
    OPTION (MAXRECURSION 32);

    DECLARE zone_cursor CURSOR LOCAL FAST_FORWARD FOR
        SELECT z.Id, z.Name, zt.ZonePath, z.Boundary, z.MaxOccupancy
        FROM #zoneTree AS zt
        INNER JOIN dbo.Zone AS z
                ON z.Id = zt.ZoneId
        ORDER BY zt.Depth, zt.ZonePath;

    OPEN zone_cursor;
    FETCH NEXT FROM zone_cursor INTO @ZoneId, @ZoneName, @ZonePath, @Boundary, @MaxOccupancy;

    WHILE @@FETCH_STATUS = 0
    BEGIN
        SELECT @workers = COUNT(DISTINCT dl.WorkerId)
        FROM dbo.DeviceLocation AS dl
        WHERE dl.ZoneId = @ZoneId
          AND dl.RecordedAt >= @since;

        -- distance in metres from the geofence to the closest reporting gateway
        SELECT @nearestGw = MIN(@Boundary.STDistance(geography::Point(g.Latitude, g.Longitude, 4326)))
        FROM dbo.vw_DeviceLastLocation AS g
        WHERE g.DeviceType = N'Gateway';

        INSERT INTO ##ZoneOccupancy
            (SiteId, ZoneId, ZonePath, WorkerCount, MaxOccupancy, NearestGatewayMeters, BoundaryWkt, RefreshedAt)
        VALUES
            (@SiteId, @ZoneId, @ZonePath, @workers, @MaxOccupancy, @nearestGw, @Boundary.STAsText(), SYSUTCDATETIME());

        IF @MaxOccupancy IS NOT NULL AND @workers > @MaxOccupancy
        BEGIN
            SET @overCapacity += 1;
            -- GO is not a batch separator when it follows a comment marker
            INSERT INTO dbo.SafetyTicket (SiteId, ZoneId, Severity, Category, Description)
            VALUES (
                @SiteId,
                @ZoneId,
                3,
                N'Overcrowding',
                N'Zone ' + @ZoneName + N' has ' + CAST(@workers AS NVARCHAR(10))
                    + N' workers (max ' + CAST(@MaxOccupancy AS NVARCHAR(10)) + N')'
            );
        END;

        SET @zonesProcessed += 1;
        FETCH NEXT FROM zone_cursor INTO @ZoneId, @ZoneName, @ZonePath, @Boundary, @MaxOccupancy;
    END;

    CLOSE zone_cursor;
    DEALLOCATE zone_cursor;

    PRINT 'CREATE PROCEDURE is not run here: this only refreshes ##ZoneOccupancy ('
          + CAST(@zonesProcessed AS VARCHAR(10)) + ' zones).';

    SELECT SiteId, ZoneId, ZonePath, WorkerCount, MaxOccupancy, NearestGatewayMeters, RefreshedAt
    FROM ##ZoneOccupancy
    WHERE SiteId = @SiteId
    ORDER BY WorkerCount DESC, ZonePath;

    RETURN @overCapacity;
END
GO
