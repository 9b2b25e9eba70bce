-- Inline table-valued function: who worked on a site on a given day.
CREATE FUNCTION dbo.fn_WorkersOnSite (@SiteId INT, @ShiftDate DATE)
RETURNS TABLE
AS
RETURN
(
    SELECT
        a.WorkerId,
        w.EmployeeNumber,
        w.FirstName,
        w.LastName,
        w.Trade,
        a.CheckInAt,
        a.CheckOutAt,
        dbo.fn_ShiftHours(a.CheckInAt, a.CheckOutAt) AS HoursWorked
    FROM dbo.Attendance AS a
    INNER JOIN dbo.Worker AS w
            ON w.Id = a.WorkerId
    WHERE a.SiteId = @SiteId
      AND a.ShiftDate = @ShiftDate
      AND a.DeletedAt IS NULL
);
GO
