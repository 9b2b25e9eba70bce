-- expect: UDF_CALL
-- type: VIEW
-- functions: dbo.fn_ShiftHours, dbo.fn_WorkersOnSite
-- lines: UDF_CALL@7 UDF_CALL@8
CREATE VIEW dbo.udf_call_positive
AS
SELECT w.WorkerId, dbo.fn_ShiftHours(w.CheckInAt, w.CheckOutAt) AS Hours
FROM dbo.fn_WorkersOnSite(1, '2024-03-01') AS w
