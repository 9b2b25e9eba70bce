-- SSDT-less deployment: a literal stub first, then the real body with ALTER.
CREATE PROCEDURE [dbo].[usp_SyncEquipmentFromERP]
AS
    RETURN 0;
go
-- Pulls the asset register from the ERP (linked server ERP_LINK) into dbo.Equipment.
ALTER PROCEDURE [dbo].[usp_SyncEquipmentFromERP]
    @SiteId  INT = NULL
AS
BEGIN
    SET NOCOUNT ON;
    SET XACT_ABORT ON;

    IF OBJECT_ID(N'tempdb..#erp_assets') IS NOT NULL
        DROP TABLE #erp_assets;

    -- OPENQUERY runs the query on the ERP side; scrapped assets never cross the wire.
    SELECT a.AssetTag, a.Description, a.Category, a.Manufacturer, a.ModelNo, a.SiteCode, a.AcquiredOn
    INTO #erp_assets
    FROM OPENQUERY([ERP_LINK],
        'SELECT AssetTag, Description, Category, Manufacturer, ModelNo, SiteCode, AcquiredOn
           FROM erp.Assets
          WHERE Status <> ''SCRAPPED''') AS a;

    -- Hire rates live in the same ERP database: read them with a four-part name.
    SELECT r.AssetTag, r.DailyRate
    INTO #erp_rates
    FROM [ERP_LINK].[ERPDB].[erp].[HireRates] AS r
    WHERE r.ValidTo IS NULL;

    BEGIN TRY
        BEGIN TRANSACTION;

        UPDATE e
        SET e.Name          = ea.Description,
            e.EquipmentType = ea.Category,
            e.Manufacturer  = ea.Manufacturer,
            e.Model         = ea.ModelNo,
            e.DailyHireRate = r.DailyRate,
            e.UpdatedAt     = GETDATE()
        FROM dbo.Equipment AS e
        INNER JOIN #erp_assets AS ea
                ON ea.AssetTag = e.AssetTag
        LEFT JOIN #erp_rates AS r
               ON r.AssetTag = ea.AssetTag
        WHERE @SiteId IS NULL
           OR e.SiteId = @SiteId;

        INSERT INTO dbo.Equipment (SiteId, AssetTag, Name, EquipmentType, Manufacturer, Model, PurchaseDate, DailyHireRate)
        SELECT s.Id, ea.AssetTag, ea.Description, ea.Category, ea.Manufacturer, ea.ModelNo, ea.AcquiredOn, r.DailyRate
        FROM #erp_assets AS ea
        INNER JOIN dbo.Site AS s
                ON s.Code = ea.SiteCode
        LEFT JOIN #erp_rates AS r
               ON r.AssetTag = ea.AssetTag
        WHERE (@SiteId IS NULL OR s.Id = @SiteId)
          AND NOT EXISTS (SELECT 1 FROM dbo.Equipment AS e WHERE e.AssetTag = ea.AssetTag);

        COMMIT TRANSACTION;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0
            ROLLBACK TRANSACTION;

        DECLARE @err NVARCHAR(2048) = ERROR_MESSAGE();
        RAISERROR(N'ERP equipment sync failed: %s', 16, 1, @err);
        RETURN 1;
    END CATCH;

    RETURN 0;
END
go
