-- expect: none
-- type: VIEW
-- Columns named like extension functions are not calls; calls in strings are not code.
CREATE OR REPLACE VIEW public.extensions_negative AS
 SELECT t.time_bucket,
    t.dblink_name,
    t.crosstab_id,
    t.nextval_hint,
    'SELECT create_hypertable(''t'', ''ts''); SELECT ST_Intersects(a, b)'::text AS example
   FROM settings t;
