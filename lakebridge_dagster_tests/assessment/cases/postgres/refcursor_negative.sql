-- expect: none
-- type: FUNCTION
-- language: sql
CREATE OR REPLACE FUNCTION public.refcursor_negative(p_name text)
 RETURNS text
 LANGUAGE sql
AS $function$ SELECT 'refcursor ' || p_name || ' CURSOR FOR' $function$
