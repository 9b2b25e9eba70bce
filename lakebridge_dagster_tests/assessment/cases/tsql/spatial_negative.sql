-- expect: none
-- Columns called Geometry, Status and STArea are not spatial code.
CREATE VIEW dbo.spatial_negative
AS
SELECT z.Geometry,
       z.[Geography],
       z.STATUS,
       z.STArea AS AreaColumn,
       'geography::Point(1, 2, 4326)' AS Example
FROM dbo.Zone AS z
WHERE z.Status = 'open'
