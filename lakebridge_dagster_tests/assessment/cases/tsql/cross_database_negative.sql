-- expect: SPATIAL
-- database: Operations
-- Three parts that are this database, or a column and its method: not cross-database.
CREATE PROCEDURE dbo.cross_database_negative
AS
BEGIN
    SELECT o.Id, z.Boundary.STAsText() AS Wkt
    FROM Operations.dbo.Worker AS o
    JOIN dbo.Zone AS z ON z.Id = o.ZoneId;
END
