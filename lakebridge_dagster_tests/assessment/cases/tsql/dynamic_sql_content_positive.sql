-- expect: DYNAMIC_SQL, CURSOR, MERGE, TEMP_TABLE
-- lines: DYNAMIC_SQL@15 DYNAMIC_SQL@16 CURSOR@8 MERGE@10 TEMP_TABLE@17
-- The executed strings are analysed: a cursor and a MERGE hide in them.
CREATE PROCEDURE dbo.dynamic_sql_content_positive
AS
BEGIN
    DECLARE @sql NVARCHAR(MAX);
    SET @sql = N'DECLARE c CURSOR FOR SELECT Id FROM dbo.Site; OPEN c; CLOSE c;';
    SET @sql += N'
MERGE dbo.Site AS t USING dbo.SiteImport AS s ON t.Id = s.Id
WHEN MATCHED THEN UPDATE SET t.Name = s.Name;';
    -- the literal below is only printed, never executed
    PRINT N'WHILE 1 = 1 BEGIN END';
    PRINT @sql;
    EXEC (@sql);
    EXECUTE (
        N'SELECT * INTO #copy FROM dbo.Site;'
    );
END
