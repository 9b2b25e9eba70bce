-- expect: TRIGGER
-- type: TRIGGER
-- parent: dbo.Worker
-- lines: TRIGGER@5
CREATE TRIGGER dbo.trigger_positive ON dbo.Worker
AFTER UPDATE
AS
BEGIN
    SET NOCOUNT ON;
    UPDATE w SET UpdatedAt = SYSUTCDATETIME()
    FROM dbo.Worker AS w JOIN inserted AS i ON i.Id = w.Id;
END
