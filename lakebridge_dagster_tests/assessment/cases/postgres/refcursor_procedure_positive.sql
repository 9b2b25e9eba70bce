-- expect: REFCURSOR, CURSOR
-- type: PROCEDURE
-- language: plpgsql
-- lines: REFCURSOR@5 CURSOR@9
CREATE OR REPLACE PROCEDURE public.refcursor_procedure_positive(INOUT p_result refcursor DEFAULT NULL::refcursor)
 LANGUAGE plpgsql
AS $procedure$
BEGIN
    OPEN p_result SCROLL FOR SELECT "Id", "Name" FROM "Company" ORDER BY "Name";
END;
$procedure$
