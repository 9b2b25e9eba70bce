-- expect: DYNAMIC_SQL, TEMP_TABLE, WHILE_LOOP, CURSOR
-- type: PROCEDURE
-- language: plpgsql
-- lines: TEMP_TABLE@11 DYNAMIC_SQL@12 DYNAMIC_SQL@13 CURSOR@13 WHILE_LOOP@13
-- The executed strings are analysed; the RAISE text is not.
CREATE OR REPLACE PROCEDURE public.plpgsql_dynamic_content_positive()
 LANGUAGE plpgsql
AS $procedure$
DECLARE v_sql text; r record;
BEGIN
    v_sql := 'CREATE TEMP TABLE scratch AS SELECT 1 AS n';
    EXECUTE v_sql;
    FOR r IN EXECUTE 'SELECT n FROM scratch' LOOP
        RAISE NOTICE 'MERGE INTO x USING y ON true -- %', r.n;
    END LOOP;
END;
$procedure$
