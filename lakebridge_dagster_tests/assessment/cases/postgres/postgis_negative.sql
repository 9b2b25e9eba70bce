-- expect: none
-- type: VIEW
-- Columns called geometry and st_code are not PostGIS.
CREATE OR REPLACE VIEW public.postgis_negative AS
 SELECT s.st_code,
    s.geometry,
    s."geography",
    'ST_Intersects(a, b)'::text AS example
   FROM shape s;
