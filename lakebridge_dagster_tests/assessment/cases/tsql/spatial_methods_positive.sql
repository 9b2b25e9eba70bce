-- expect: SPATIAL
-- type: FUNCTION
-- lines: SPATIAL@8 SPATIAL@10
CREATE FUNCTION dbo.spatial_methods_positive (@lat FLOAT, @lon FLOAT)
RETURNS FLOAT
AS
BEGIN
    RETURN (SELECT MIN(s.Location.STDistance(geography::Point(@lat, @lon, 4326)))
            FROM dbo.Site AS s
            WHERE s.Location.STIntersects(s.Boundary) = 1);
END
