-- expect: CROSS_DATABASE
-- database: Operations
-- lines: CROSS_DATABASE@7 CROSS_DATABASE@8
CREATE PROCEDURE dbo.cross_database_positive
AS
BEGIN
    INSERT INTO Archive.dbo.WorkerHistory (Id, Name)
    SELECT w.Id, w.Name FROM HR..Worker AS w;
    SELECT o.Id FROM Operations.dbo.Worker AS o;
END
