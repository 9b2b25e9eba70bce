-- Keeps dbo.Device.LastSeenAt current as location fixes arrive.
CREATE TRIGGER dbo.trg_DeviceLocation_AfterInsert
ON dbo.DeviceLocation
AFTER INSERT
AS
BEGIN
    SET NOCOUNT ON;

    UPDATE d
    SET    d.LastSeenAt = x.LastRecordedAt,
           d.UpdatedAt  = SYSUTCDATETIME()
    FROM   dbo.Device AS d
    INNER JOIN (
        SELECT DeviceId, MAX(RecordedAt) AS LastRecordedAt
        FROM inserted
        GROUP BY DeviceId
    ) AS x
            ON x.DeviceId = d.Id
    WHERE  d.LastSeenAt IS NULL
        OR d.LastSeenAt < x.LastRecordedAt;
END
GO
