-- expect: XML_JSON
-- type: FUNCTION
-- language: sql
CREATE OR REPLACE FUNCTION public.xml_positive(doc xml)
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE
AS $function$ SELECT xpath('/worker/name/text()', doc)::text[] $function$
