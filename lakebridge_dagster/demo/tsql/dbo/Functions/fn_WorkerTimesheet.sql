-- Multi-statement table-valued function: one row per calendar day of the range,
-- including the days the worker was absent.
CREATE FUNCTION [dbo].[fn_WorkerTimesheet]
(
    @WorkerId  INT,
    @FromDate  DATE,
    @ToDate    DATE
)
RETURNS @Timesheet TABLE
(
    WorkDate     DATE           NOT NULL PRIMARY KEY,
    SiteId       INT            NULL,
    HoursWorked  DECIMAL(18,4)  NOT NULL,
    IsAbsent     BIT            NOT NULL
)
AS
BEGIN
    DECLARE @day DATE = @FromDate;

    WHILE @day <= @ToDate
    BEGIN
        INSERT INTO @Timesheet (WorkDate, SiteId, HoursWorked, IsAbsent)
        SELECT
            @day,
            MAX(a.SiteId),
            ISNULL(SUM(a.HoursWorked), 0),
            CASE WHEN COUNT(a.Id) = 0 THEN 1 ELSE 0 END
        FROM dbo.Attendance AS a
        WHERE a.WorkerId = @WorkerId
          AND a.ShiftDate = @day
          AND a.DeletedAt IS NULL;

        SET @day = DATEADD(DAY, 1, @day);
    END;

    RETURN;
END;
GO
