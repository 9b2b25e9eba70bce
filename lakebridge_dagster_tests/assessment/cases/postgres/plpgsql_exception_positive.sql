-- expect: TRY_CATCH
-- type: FUNCTION
-- language: plpgsql
-- lines: TRY_CATCH@11
CREATE OR REPLACE FUNCTION public.plpgsql_exception_positive(p_text text)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
BEGIN
    RETURN p_text::integer;
EXCEPTION
    WHEN invalid_text_representation THEN
        RETURN NULL;
END;
$function$
