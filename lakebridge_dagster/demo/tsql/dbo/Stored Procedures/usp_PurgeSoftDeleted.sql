-- Deployment pattern from before CREATE OR ALTER existed: create a stub when the
-- procedure is missing (the stub's CREATE PROCEDURE is only a string here), then ALTER it.
IF OBJECT_ID(N'dbo.usp_PurgeSoftDeleted', N'P') IS NULL
    EXEC (N'CREATE PROCEDURE dbo.usp_PurgeSoftDeleted AS RETURN 0;');
GO
-- Physically deletes rows soft-deleted more than @RetentionDays ago, in batches,
-- from every table of @TableList that has a DeletedAt column.
ALTER PROCEDURE dbo.usp_PurgeSoftDeleted
    @TableList      NVARCHAR(MAX) = N'Attendance,SafetyTicket,Crew',
    @RetentionDays  INT = 365,
    @BatchSize      INT = 5000,
    @WhatIf         BIT = 0
AS
BEGIN
    SET NOCOUNT ON;

    IF @RetentionDays < 30
    BEGIN
        RAISERROR('Retention below 30 days is not allowed (%d requested).', 16, 1, @RetentionDays);
        RETURN 2;
    END;

    DECLARE @targets TABLE
    (
        RowNo      INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
        TableName  SYSNAME NOT NULL
    );
    DECLARE @i        INT = 1,
            @n        INT = 0,
            @deleted  INT,
            @total    INT = 0,
            @table    SYSNAME,
            @sql      NVARCHAR(MAX);
    DECLARE @cutoff VARCHAR(30) = CONVERT(varchar, DATEADD(DAY, -@RetentionDays, GETDATE()), 126);

    INSERT INTO @targets (TableName)
    SELECT LTRIM(RTRIM(s.value))
    FROM STRING_SPLIT(@TableList, N',') AS s
    WHERE LTRIM(RTRIM(s.value)) <> N''
      AND OBJECT_ID(N'dbo.' + QUOTENAME(LTRIM(RTRIM(s.value))), N'U') IS NOT NULL
      AND COL_LENGTH(N'dbo.' + QUOTENAME(LTRIM(RTRIM(s.value))), N'DeletedAt') IS NOT NULL;

    SELECT @n = COUNT(*) FROM @targets;

    IF @n = 0
        GOTO NothingToDo;

    WHILE @i <= @n
    BEGIN
        SELECT @table = TableName FROM @targets WHERE RowNo = @i;

        SET @sql = N'DELETE TOP (' + CAST(@BatchSize AS NVARCHAR(10)) + N') FROM dbo.' + QUOTENAME(@table)
                 + N' WHERE DeletedAt IS NOT NULL AND DeletedAt < ''' + @cutoff + N''';';

        IF @WhatIf = 1
        BEGIN
            PRINT @sql;
        END
        ELSE
        BEGIN
            WHILE 1 = 1
            BEGIN
                EXEC (@sql);
                SET @deleted = @@ROWCOUNT;
                SET @total += @deleted;
                IF @deleted < @BatchSize
                    BREAK;
            END;
        END;

        SET @i += 1;
    END;

    RAISERROR('Purged %d soft-deleted rows from %d tables.', 10, 1, @total, @n) WITH NOWAIT;
    RETURN 0;

NothingToDo:
    RAISERROR('No table of the list has a DeletedAt column; nothing purged.', 10, 1) WITH NOWAIT;
    RETURN 1;
END
GO
