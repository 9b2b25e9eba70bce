-- expect: none
-- Disabling triggers and a TriggerDate column are not triggers of their own.
CREATE PROCEDURE dbo.trigger_negative
AS
BEGIN
    ALTER TABLE dbo.Worker DISABLE TRIGGER ALL;
    UPDATE dbo.Worker SET TriggerDate = GETDATE() WHERE Id = 1;
    ALTER TABLE dbo.Worker ENABLE TRIGGER ALL;
    PRINT 'CREATE TRIGGER is not run here';
END
