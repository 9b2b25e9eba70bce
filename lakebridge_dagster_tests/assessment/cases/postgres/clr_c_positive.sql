-- expect: CLR
-- type: FUNCTION
-- language: c
CREATE OR REPLACE FUNCTION public.clr_c_positive(text)
 RETURNS text
 LANGUAGE c
 IMMUTABLE STRICT
AS '$libdir/fast_hash', $function$fast_hash$function$
