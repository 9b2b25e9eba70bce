-- expect: WHILE_LOOP
-- type: FUNCTION
-- language: plpgsql
-- lines: WHILE_LOOP@11 WHILE_LOOP@14
CREATE OR REPLACE FUNCTION public.plpgsql_integer_loop_positive(p_n integer)
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE total integer := 0; i integer := 0;
BEGIN
    FOR i IN 1..p_n LOOP
        total := total + i;
    END LOOP;
    WHILE total > 100 LOOP
        total := total - 100;
    END LOOP;
    RETURN total;
END;
$function$
