SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- ETL: moves one import batch from stg.DeviceLocationImport into dbo.DeviceLocation.
-- Rows arrive either as columns (CSV uploads) or as a JSON message in RawJson (MQTT bridge).
-- Each fix is matched to its device and worker and to the smallest zone whose geofence contains it.
CREATE OR ALTER PROCEDURE dbo.usp_LoadDeviceLocations
    @ImportBatchId  UNIQUEIDENTIFIER,
    @RowsLoaded     INT = NULL OUTPUT
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    DECLARE @startedAt  DATETIME = GETUTCDATE();
    DECLARE @batchText  NVARCHAR(36) = CONVERT(NVARCHAR(36), @ImportBatchId);
    DECLARE @rejected   INT = 0;
    DECLARE @msg        NVARCHAR(2048);

    SET @RowsLoaded = 0;

    IF NOT EXISTS (SELECT 1 FROM stg.DeviceLocationImport WHERE ImportBatchId = @ImportBatchId)
    BEGIN
        RAISERROR(N'Import batch %s has no rows; nothing to load.', 10, 1, @batchText) WITH NOWAIT;
        RETURN 1;
    END;

    CREATE TABLE #parsed
    (
        RowNo         INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
        SerialNumber  NVARCHAR(64)   NULL,
        RecordedAt    DATETIME2(3)   NULL,
        Latitude      DECIMAL(9,6)   NULL,
        Longitude     DECIMAL(9,6)   NULL,
        Accuracy      DECIMAL(18,4)  NULL,
        DeviceId      INT            NULL,
        WorkerId      INT            NULL,
        ZoneId        INT            NULL
    );

    INSERT INTO #parsed (SerialNumber, RecordedAt, Latitude, Longitude, Accuracy)
    SELECT
        COALESCE(j.serial, s.SerialNumber),
        TRY_CONVERT(DATETIME2(3), COALESCE(j.recordedAt, s.RecordedAtText), 127),
        TRY_CONVERT(DECIMAL(9,6), COALESCE(j.lat, s.Latitude)),
        TRY_CONVERT(DECIMAL(9,6), COALESCE(j.lon, s.Longitude)),
        j.accuracy
    FROM stg.DeviceLocationImport AS s
    OUTER APPLY OPENJSON(s.RawJson)
        WITH (
            serial      NVARCHAR(64)   '$.device.serial',
            recordedAt  NVARCHAR(40)   '$.ts',
            lat         NVARCHAR(32)   '$.position.lat',
            lon         NVARCHAR(32)   '$.position.lon',
            accuracy    DECIMAL(18,4)  '$.position.accuracy'
        ) AS j
    WHERE s.ImportBatchId = @ImportBatchId;

    -- Unparseable rows are counted and dropped.
    DELETE FROM #parsed
    WHERE SerialNumber IS NULL
       OR RecordedAt IS NULL
       OR Latitude IS NULL
       OR Longitude IS NULL;
    SET @rejected = @@ROWCOUNT;

    UPDATE p
    SET p.DeviceId = d.Id,
        p.WorkerId = d.WorkerId
    FROM #parsed AS p
    INNER JOIN dbo.Device AS d
            ON d.SerialNumber = p.SerialNumber
           AND d.DeletedAt IS NULL;

    -- Smallest containing zone wins (a floor beats the building it is in).
    UPDATE p
    SET p.ZoneId = z.Id
    FROM #parsed AS p
    CROSS APPLY (
        SELECT TOP (1) zz.Id
        FROM dbo.Zone AS zz
        WHERE zz.DeletedAt IS NULL
          AND zz.Boundary.STIntersects(geography::Point(p.Latitude, p.Longitude, 4326)) = 1
        ORDER BY zz.Boundary.STArea() ASC
    ) AS z;

    BEGIN TRY
        BEGIN TRANSACTION;

        INSERT INTO dbo.DeviceLocation (DeviceId, WorkerId, ZoneId, RecordedAt, Latitude, Longitude, AccuracyMeters)
        SELECT p.DeviceId, p.WorkerId, p.ZoneId, p.RecordedAt, p.Latitude, p.Longitude, p.Accuracy
        FROM #parsed AS p
        WHERE p.DeviceId IS NOT NULL
          AND NOT EXISTS (
                SELECT 1
                FROM dbo.DeviceLocation AS dl
                WHERE dl.DeviceId = p.DeviceId
                  AND dl.RecordedAt = p.RecordedAt
          );

        SET @RowsLoaded = @@ROWCOUNT;

        DELETE FROM stg.DeviceLocationImport
        WHERE ImportBatchId = @ImportBatchId;

        INSERT INTO audit.AuditLog (TableName, RecordId, [Action], NewValues, CorrelationId)
        VALUES (
            N'dbo.DeviceLocation',
            @batchText,
            'I',
            N'{"rows":' + CAST(@RowsLoaded AS NVARCHAR(20))
                + N',"rejected":' + CAST(@rejected AS NVARCHAR(20))
                + N',"startedAt":"' + CONVERT(varchar, @startedAt, 126)
                + N'","finishedAt":"' + CONVERT(varchar, GETUTCDATE(), 126) + N'"}',
            @ImportBatchId
        );

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;

        SET @msg = N'usp_LoadDeviceLocations failed for batch ' + @batchText + N': ' + ERROR_MESSAGE();
        THROW 50010, @msg, 1;
    END CATCH;

    DROP TABLE #parsed;
    RETURN 0;
END
GO
