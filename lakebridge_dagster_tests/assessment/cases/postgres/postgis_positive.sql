-- expect: SPATIAL
-- type: VIEW
-- lines: SPATIAL@6 SPATIAL@8
CREATE OR REPLACE VIEW public.postgis_positive AS
 SELECT z."Id",
    st_area(z."Boundary"::geography) AS area_m2
   FROM "Zone" z
  WHERE ST_Intersects(z."Boundary", ST_SetSRID(ST_MakePoint(46.7, 24.7), 4326));
