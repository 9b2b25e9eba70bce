-- expect: CROSS_DATABASE
-- database: Operations
-- lines: CROSS_DATABASE@7 CROSS_DATABASE@8
CREATE PROCEDURE dbo.cross_database_exec_positive
AS
BEGIN
    EXEC Archive.dbo.usp_PurgeOldRows @days = 90;
    TRUNCATE TABLE Staging..WorkerImport;
END
