-- Hours per worker and day for a project, one column per day (dynamic PIVOT),
-- followed by the top 10 workers (ties included) with a static weekday PIVOT.
CREATE OR ALTER PROCEDURE dbo.usp_AttendancePivotReport
    @ProjectId  INT,
    @FromDate   DATE,
    @ToDate     DATE
AS
BEGIN
    SET NOCOUNT ON;

    DECLARE @days     INT = DATEDIFF(DAY, @FromDate, @ToDate) + 1;
    DECLARE @columns  NVARCHAR(MAX);
    DECLARE @sql      NVARCHAR(MAX);

    IF @days NOT BETWEEN 1 AND 31
    BEGIN
        RAISERROR(N'The report covers 1 to 31 days; %d requested.', 16, 1, @days);
        RETURN -1;
    END;

    -- [2024-03-01],[2024-03-02],... for the days that have attendance
    SELECT @columns = STUFF((
        SELECT N',' + QUOTENAME(CONVERT(NCHAR(10), d.ShiftDate, 23))
        FROM (
            SELECT DISTINCT a.ShiftDate
            FROM dbo.Attendance AS a
            INNER JOIN dbo.Site AS s
                    ON s.Id = a.SiteId
            WHERE s.ProjectId = @ProjectId
              AND a.ShiftDate BETWEEN @FromDate AND @ToDate
              AND a.DeletedAt IS NULL
        ) AS d
        ORDER BY d.ShiftDate
        FOR XML PATH(''), TYPE
    ).value('.', 'NVARCHAR(MAX)'), 1, 1, N'');

    IF @columns IS NULL
    BEGIN
        PRINT N'No attendance in the requested range.';
        RETURN 0;
    END;

    SET @sql = N'
SELECT pvt.WorkerId, pvt.FullName, ' + @columns + N'
FROM (
    SELECT a.WorkerId,
           w.FirstName + N'' '' + w.LastName AS FullName,
           CONVERT(NCHAR(10), a.ShiftDate, 23) AS ShiftDay,
           ISNULL(a.HoursWorked, 0) AS HoursWorked
    FROM dbo.Attendance AS a
    INNER JOIN dbo.Site AS s ON s.Id = a.SiteId
    INNER JOIN dbo.Worker AS w ON w.Id = a.WorkerId
    WHERE s.ProjectId = @pProjectId
      AND a.ShiftDate BETWEEN @pFrom AND @pTo
      AND a.DeletedAt IS NULL
) AS src
PIVOT (SUM(HoursWorked) FOR ShiftDay IN (' + @columns + N')) AS pvt
ORDER BY pvt.FullName;';

    EXEC sys.sp_executesql
        @sql,
        N'@pProjectId INT, @pFrom DATE, @pTo DATE',
        @pProjectId = @ProjectId,
        @pFrom      = @FromDate,
        @pTo        = @ToDate;

    -- Top 10 workers by hours in the range; workers tied with the 10th are included.
    SELECT TOP (10) WITH TIES
        pvt.WorkerId,
        ISNULL(pvt.[1], 0) + ISNULL(pvt.[2], 0) + ISNULL(pvt.[3], 0) + ISNULL(pvt.[4], 0)
            + ISNULL(pvt.[5], 0) + ISNULL(pvt.[6], 0) + ISNULL(pvt.[7], 0) AS TotalHours,
        pvt.[1] AS Day1,
        pvt.[2] AS Day2,
        pvt.[3] AS Day3,
        pvt.[4] AS Day4,
        pvt.[5] AS Day5,
        pvt.[6] AS Day6,
        pvt.[7] AS Day7
    FROM (
        SELECT a.WorkerId, DATEPART(WEEKDAY, a.ShiftDate) AS WeekdayNo, a.HoursWorked
        FROM dbo.Attendance AS a
        INNER JOIN dbo.Site AS s
                ON s.Id = a.SiteId
        WHERE s.ProjectId = @ProjectId
          AND a.ShiftDate BETWEEN @FromDate AND @ToDate
          AND a.DeletedAt IS NULL
    ) AS src
    PIVOT (SUM(HoursWorked) FOR WeekdayNo IN ([1], [2], [3], [4], [5], [6], [7])) AS pvt
    ORDER BY TotalHours DESC;

    RETURN 0;
END
GO  
