-- Closes the shifts nobody checked out of, with a default number of hours,
-- and records what it did in the audit log. Plain SQL only: transpiles completely.
CREATE OR ALTER PROCEDURE [dbo].[usp_CloseOpenAttendance]
    @SiteId        INT,
    @ShiftDate     DATE,
    @DefaultHours  DECIMAL(18,4) = 8
AS
BEGIN
    SET NOCOUNT ON;

    IF @ShiftDate >= CAST(GETDATE() AS DATE)
    BEGIN
        SELECT N'Shift day is not over yet' AS Message, 0 AS ClosedShifts;
    END
    ELSE
    BEGIN
        INSERT INTO audit.AuditLog (TableName, RecordId, [Action], OldValues, NewValues)
        SELECT
            N'dbo.Attendance',
            CAST(a.Id AS NVARCHAR(100)),
            'U',
            N'{"CheckOutAt":null}',
            N'{"CheckOutAt":"auto-closed"}'
        FROM dbo.Attendance AS a
        WHERE a.SiteId = @SiteId
          AND a.ShiftDate = @ShiftDate
          AND a.CheckOutAt IS NULL
          AND a.DeletedAt IS NULL;

        UPDATE dbo.Attendance
        SET CheckOutAt  = DATEADD(MINUTE, CAST(@DefaultHours * 60 AS INT), CheckInAt),
            HoursWorked = @DefaultHours,
            UpdatedAt   = GETDATE()
        WHERE SiteId = @SiteId
          AND ShiftDate = @ShiftDate
          AND CheckOutAt IS NULL
          AND DeletedAt IS NULL;

        SELECT N'Closed' AS Message, COUNT(*) AS ClosedShifts
        FROM dbo.Attendance
        WHERE SiteId = @SiteId
          AND ShiftDate = @ShiftDate
          AND HoursWorked = @DefaultHours
          AND DeletedAt IS NULL;
    END;
END;
GO
