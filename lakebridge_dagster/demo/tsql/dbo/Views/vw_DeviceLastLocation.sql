-- The latest location fix of every active device (ROW_NUMBER over each device's fixes).
CREATE OR ALTER VIEW dbo.vw_DeviceLastLocation
AS
WITH ranked AS
(
    SELECT
        dl.DeviceId,
        dl.WorkerId,
        dl.ZoneId,
        dl.RecordedAt,
        dl.Latitude,
        dl.Longitude,
        ROW_NUMBER() OVER (PARTITION BY dl.DeviceId ORDER BY dl.RecordedAt DESC, dl.Id DESC) AS rn
    FROM dbo.DeviceLocation AS dl
)
SELECT
    d.Id            AS DeviceId,
    d.SerialNumber,
    d.DeviceType,
    r.WorkerId,
    r.ZoneId,
    z.Name          AS ZoneName,
    r.RecordedAt,
    r.Latitude,
    r.Longitude,
    DATEDIFF(MINUTE, r.RecordedAt, SYSUTCDATETIME()) AS MinutesSinceLastFix
FROM dbo.Device AS d
INNER JOIN ranked AS r
        ON r.DeviceId = d.Id
       AND r.rn = 1
LEFT JOIN dbo.Zone AS z
       ON z.Id = r.ZoneId
WHERE d.IsActive = 1
  AND d.DeletedAt IS NULL;
GO
