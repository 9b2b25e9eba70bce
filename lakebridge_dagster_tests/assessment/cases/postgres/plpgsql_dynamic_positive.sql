-- expect: DYNAMIC_SQL
-- type: FUNCTION
-- language: plpgsql
-- lines: DYNAMIC_SQL@16
CREATE OR REPLACE FUNCTION public.plpgsql_dynamic_positive(p_table text, p_column text, p_since timestamp with time zone)
 RETURNS bigint
 LANGUAGE plpgsql
 STABLE
AS $function$
DECLARE
    v_count bigint;
BEGIN
    IF to_regclass(format('public.%I', p_table)) IS NULL THEN
        RAISE EXCEPTION 'table public.% does not exist', quote_ident(p_table) USING ERRCODE = 'undefined_table';
    END IF;
    EXECUTE format('SELECT count(*) FROM public.%I WHERE %I > $1', p_table, p_column)
        INTO v_count
        USING p_since;
    RETURN v_count;
END;
$function$
