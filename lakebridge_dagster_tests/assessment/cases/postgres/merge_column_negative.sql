-- expect: none
-- type: VIEW
-- merge and notify are ordinary (unreserved) column names in PostgreSQL.
CREATE OR REPLACE VIEW public.merge_column_negative AS
 SELECT d.merge,
    d.notify,
    d.listen AS listener,
    'MERGE INTO t USING s ON true' AS example
   FROM dedup d
  WHERE d.merge > 0;
