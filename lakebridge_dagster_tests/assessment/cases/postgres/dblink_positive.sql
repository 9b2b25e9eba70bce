-- expect: LINKED_SERVER
-- type: VIEW
CREATE OR REPLACE VIEW public.dblink_positive AS
 SELECT r.asset_no
   FROM dblink('erp'::text, 'SELECT asset_no FROM assets'::text) r(asset_no text);
