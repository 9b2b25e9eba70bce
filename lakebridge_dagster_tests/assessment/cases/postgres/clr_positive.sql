-- expect: CLR
-- type: FUNCTION
-- language: plpython3u
-- lines: CLR@7
CREATE OR REPLACE FUNCTION public.clr_positive(a integer, b integer)
 RETURNS integer
 LANGUAGE plpython3u
AS $function$
return max(a, b)
$function$
