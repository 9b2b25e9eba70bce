-- expect: CURSOR, WHILE_LOOP
-- type: FUNCTION
-- language: plpgsql
-- lines: CURSOR@11 WHILE_LOOP@11
CREATE OR REPLACE FUNCTION public.plpgsql_for_query_loop_positive()
 RETURNS integer
 LANGUAGE plpgsql
AS $function$
DECLARE r record; n integer := 0;
BEGIN
    FOR r IN SELECT "Id" FROM "Worker" WHERE "IsActive" LOOP
        n := n + 1;
    END LOOP;
    RETURN n;
END;
$function$
