-- expect: none
-- type: FUNCTION
-- language: plpgsql
-- RAISE EXCEPTION is not an exception handler; words in strings and comments are not code.
CREATE OR REPLACE FUNCTION public.plpgsql_negative(p_value integer)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
BEGIN
    -- EXECUTE 'DROP TABLE x'; LOOP; COMMIT;
    IF p_value < 0 THEN
        RAISE EXCEPTION 'cursor % loop: EXECUTE refused', p_value;
    END IF;
    RAISE NOTICE 'NOTIFY listeners, FOR r IN SELECT 1 LOOP';
    RETURN p_value;
END;
$function$
