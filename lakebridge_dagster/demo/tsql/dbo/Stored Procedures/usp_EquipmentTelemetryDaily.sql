-- Daily telemetry statistics per machine of a site: UNPIVOT the metric columns,
-- aggregate into a table variable, flag the top 10 percent by coolant spread,
-- and return the whole day as one JSON document for the dashboard API.
CREATE PROCEDURE [dbo].[usp_EquipmentTelemetryDaily]
    @SiteId  INT,
    @Day     DATE = NULL
AS
BEGIN
    SET NOCOUNT ON;

    SET @Day = ISNULL(@Day, CAST(DATEADD(DAY, -1, GETDATE()) AS DATE));

    DECLARE @daily TABLE
    (
        EquipmentId  INT            NOT NULL,
        Metric       NVARCHAR(30)   NOT NULL,
        MinValue     DECIMAL(18,4)  NULL,
        MaxValue     DECIMAL(18,4)  NULL,
        AvgValue     DECIMAL(18,4)  NULL,
        Samples      INT            NOT NULL,
        PRIMARY KEY (EquipmentId, Metric)
    );

    INSERT INTO @daily (EquipmentId, Metric, MinValue, MaxValue, AvgValue, Samples)
    SELECT
        u.EquipmentId,
        u.Metric,
        MIN(u.MetricValue),
        MAX(u.MetricValue),
        AVG(u.MetricValue),
        COUNT(*)
    FROM (
        SELECT t.EquipmentId, t.EngineHours, t.FuelLevelPct, t.CoolantTempC
        FROM dbo.EquipmentTelemetry AS t
        INNER JOIN dbo.Equipment AS e
                ON e.Id = t.EquipmentId
        WHERE e.SiteId = @SiteId
          AND t.RecordedAt >= @Day
          AND t.RecordedAt < DATEADD(DAY, 1, @Day)
    ) AS src
    UNPIVOT (MetricValue FOR Metric IN (EngineHours, FuelLevelPct, CoolantTempC)) AS u
    GROUP BY u.EquipmentId, u.Metric;

    -- The noisiest 10 percent of machines by coolant temperature spread.
    SELECT TOP (10) PERCENT
        d.EquipmentId,
        e.AssetTag,
        e.Name,
        d.MaxValue - d.MinValue AS CoolantSpread
    FROM @daily AS d
    INNER JOIN dbo.Equipment AS e
            ON e.Id = d.EquipmentId
    WHERE d.Metric = N'CoolantTempC'
    ORDER BY CoolantSpread DESC;

    SELECT
        e.AssetTag  AS [equipment.assetTag],
        e.Name      AS [equipment.name],
        @Day        AS [day],
        (
            SELECT d2.Metric AS metric, d2.MinValue AS [min], d2.MaxValue AS [max],
                   d2.AvgValue AS [avg], d2.Samples AS samples
            FROM @daily AS d2
            WHERE d2.EquipmentId = e.Id
            FOR JSON PATH
        ) AS metrics
    FROM dbo.Equipment AS e
    WHERE e.SiteId = @SiteId
      AND EXISTS (SELECT 1 FROM @daily AS d WHERE d.EquipmentId = e.Id)
    ORDER BY e.AssetTag
    FOR JSON PATH, ROOT('telemetry');
END
GO
