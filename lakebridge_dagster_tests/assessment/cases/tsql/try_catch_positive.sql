-- expect: TRY_CATCH
-- lines: TRY_CATCH@5
CREATE PROCEDURE dbo.try_catch_positive
AS
BEGIN TRY
    INSERT INTO dbo.AuditLog (Message) VALUES (N'start');
END TRY
BEGIN CATCH
    THROW;
END CATCH
