-- expect: none
-- type: VIEW
CREATE OR REPLACE VIEW public.json_negative AS
 SELECT d.json_data,
    d.xml_text,
    d.jsonb_size,
    '{"a": 1}'::text AS example,
    '->> and jsonb_build_object()' AS operators
   FROM document d;
