SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- Writes one audit row per worker whose audited columns really changed.
-- (dbo.Worker is system-versioned: only AFTER triggers are allowed on it.)
CREATE TRIGGER [dbo].[trg_Worker_AuditUpdate]
ON [dbo].[Worker]
AFTER UPDATE
AS
BEGIN
    SET NOCOUNT ON;

    IF NOT EXISTS (SELECT 1 FROM inserted)
        RETURN;

    INSERT INTO [audit].[AuditLog] ([TableName], [RecordId], [Action], [OldValues], [NewValues])
    SELECT
        N'dbo.Worker',
        CONVERT(NVARCHAR(100), i.Id),
        'U',
        (SELECT d.FirstName, d.LastName, d.Trade, d.HourlyRate, d.IsActive, d.DeletedAt
         FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES),
        (SELECT i.FirstName, i.LastName, i.Trade, i.HourlyRate, i.IsActive, i.DeletedAt
         FOR JSON PATH, WITHOUT_ARRAY_WRAPPER, INCLUDE_NULL_VALUES)
    FROM inserted AS i
    INNER JOIN deleted AS d
            ON d.Id = i.Id
    WHERE EXISTS (
        SELECT i.FirstName, i.LastName, i.Trade, i.HourlyRate, i.IsActive, i.DeletedAt
        EXCEPT
        SELECT d.FirstName, d.LastName, d.Trade, d.HourlyRate, d.IsActive, d.DeletedAt
    );
END
GO
