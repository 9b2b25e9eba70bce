-- expect: PIVOT
-- type: VIEW
CREATE VIEW dbo.unpivot_positive
AS
SELECT u.EquipmentId, u.Metric, u.MetricValue
FROM (SELECT EquipmentId, EngineHours, FuelLevel FROM dbo.Telemetry) AS t
UNPIVOT (MetricValue FOR Metric IN (EngineHours, FuelLevel)) AS u
