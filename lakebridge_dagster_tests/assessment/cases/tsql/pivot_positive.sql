-- expect: PIVOT
-- type: VIEW
-- lines: PIVOT@10
CREATE VIEW dbo.pivot_positive
AS
SELECT pvt.WorkerId, pvt.[1] AS Mon, pvt.[2] AS Tue
FROM (
    SELECT WorkerId, DATEPART(WEEKDAY, ShiftDate) AS WeekdayNo, HoursWorked FROM dbo.Attendance
) AS src
PIVOT (SUM(HoursWorked) FOR WeekdayNo IN ([1], [2])) AS pvt
