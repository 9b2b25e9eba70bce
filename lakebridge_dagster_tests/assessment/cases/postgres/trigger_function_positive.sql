-- expect: TRIGGER
-- type: FUNCTION
-- language: plpgsql
-- lines: TRIGGER@6
CREATE OR REPLACE FUNCTION public.trigger_function_positive()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    NEW."UpdatedAt" := now();
    RETURN NEW;
END;
$function$
