-- expect: TRANSACTION, TRY_CATCH
CREATE PROCEDURE dbo.transaction_try_positive
AS
BEGIN
    SET XACT_ABORT ON;
    BEGIN TRY
        BEGIN TRAN;
        SAVE TRANSACTION before_update;
        UPDATE dbo.Account SET Balance = Balance - 10 WHERE Id = 1;
        COMMIT;
    END TRY
    BEGIN CATCH
        IF @@TRANCOUNT > 0 ROLLBACK TRAN;
        THROW;
    END CATCH
END
