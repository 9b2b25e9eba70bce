-- Hours per worker, site and day, with a rolling seven-row total per worker.
-- Old deployment pattern: drop, then create (the DROP is not an object of its own).
IF OBJECT_ID(N'dbo.vw_WorkerDailyHours', N'V') IS NOT NULL
    DROP VIEW dbo.vw_WorkerDailyHours;
go
CREATE VIEW dbo.vw_WorkerDailyHours
AS
SELECT
    a.WorkerId,
    a.SiteId,
    a.ShiftDate,
    COUNT(*)                                   AS Shifts,
    SUM(ISNULL(a.HoursWorked, 0))              AS HoursWorked,
    SUM(SUM(ISNULL(a.HoursWorked, 0))) OVER (
        PARTITION BY a.WorkerId
        ORDER BY a.ShiftDate
        ROWS BETWEEN 6 PRECEDING AND CURRENT ROW
    )                                          AS RollingHours
FROM dbo.Attendance AS a
WHERE a.DeletedAt IS NULL
GROUP BY a.WorkerId, a.SiteId, a.ShiftDate;
go
