SET ANSI_NULLS ON
GO
SET QUOTED_IDENTIFIER ON
GO
-- 1 when the WGS 84 point lies inside the zone's geofence, else 0.
CREATE FUNCTION [dbo].[fn_IsPointInZone]
(
    @ZoneId     INT,
    @Latitude   FLOAT,
    @Longitude  FLOAT
)
RETURNS BIT
AS
BEGIN
    DECLARE @boundary GEOGRAPHY;
    DECLARE @result BIT = 0;

    SELECT @boundary = z.Boundary
    FROM dbo.Zone AS z
    WHERE z.Id = @ZoneId
      AND z.DeletedAt IS NULL;

    IF @boundary IS NOT NULL
       AND @boundary.STIntersects(geography::Point(@Latitude, @Longitude, 4326)) = 1
        SET @result = 1;

    RETURN @result;
END
GO
