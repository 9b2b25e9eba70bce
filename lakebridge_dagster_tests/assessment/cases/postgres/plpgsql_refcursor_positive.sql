-- expect: REFCURSOR, CURSOR
-- type: FUNCTION
-- language: plpgsql
CREATE OR REPLACE FUNCTION public.plpgsql_refcursor_positive(p_worker_id integer, p_cursor refcursor DEFAULT 'worker_locations'::refcursor)
 RETURNS refcursor
 LANGUAGE plpgsql
AS $function$
BEGIN
    OPEN p_cursor FOR
        SELECT dl."Id", dl."RecordedAt" FROM "DeviceLocation" AS dl WHERE dl."WorkerId" = p_worker_id;
    RETURN p_cursor;
END;
$function$
