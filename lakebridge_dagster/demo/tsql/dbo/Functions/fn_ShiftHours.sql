-- Hours between check-in and check-out; NULL while the shift is open or the times are inverted.
CREATE FUNCTION dbo.fn_ShiftHours
(
    @CheckInAt   DATETIME,
    @CheckOutAt  DATETIME
)
RETURNS DECIMAL(18,4)
WITH SCHEMABINDING
AS
BEGIN
    IF @CheckInAt IS NULL OR @CheckOutAt IS NULL OR @CheckOutAt < @CheckInAt
        RETURN NULL;

    RETURN CAST(DATEDIFF(SECOND, @CheckInAt, @CheckOutAt) AS DECIMAL(18,4)) / 3600.0;
END;
GO
