-- expect: none
-- type: FUNCTION
-- language: plpgsql
CREATE OR REPLACE FUNCTION public.listen_notify_negative(notify boolean)
 RETURNS text
 LANGUAGE plpgsql
AS $function$
DECLARE listen text := 'LISTEN x';
BEGIN
    -- NOTIFY everyone
    IF notify THEN
        RETURN listen || ' pg_notify(''c'', ''p'')';
    END IF;
    RETURN NULL;
END;
$function$
