-- expect: none
-- TRY_CONVERT and TRY_CAST are not TRY blocks.
CREATE VIEW dbo.try_catch_negative
AS
SELECT TRY_CONVERT(INT, a.Value) AS IntValue,
       TRY_CAST(a.Value AS DATE) AS DateValue,
       'BEGIN TRY' AS Example -- BEGIN TRY ... END TRY
FROM dbo.Attributes AS a
