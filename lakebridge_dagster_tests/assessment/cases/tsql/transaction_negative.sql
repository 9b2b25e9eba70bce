-- expect: none
-- Transaction state and names, not transaction control.
CREATE PROCEDURE dbo.transaction_negative
AS
BEGIN
    SET XACT_ABORT ON;
    SELECT @@TRANCOUNT AS OpenTransactions, XACT_STATE() AS State;
    SELECT t.TransactionId, t.CommitDate, t.[Rollback]
    FROM dbo.TransactionHistory AS t; -- COMMIT TRANSACTION
    PRINT 'BEGIN TRANSACTION / ROLLBACK';
END
