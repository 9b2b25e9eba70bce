-- expect: CURSOR, WHILE_LOOP
-- type: PROCEDURE
-- language: plpgsql
-- lines: CURSOR@9 WHILE_LOOP@15
CREATE OR REPLACE PROCEDURE public.plpgsql_cursor_positive(IN p_from date, INOUT p_updated integer DEFAULT NULL::integer)
 LANGUAGE plpgsql
AS $procedure$
DECLARE
    cur_attendance CURSOR (c_from date) FOR
        SELECT a."Id", a."HoursWorked" FROM "Attendance" AS a WHERE a."WorkDate" >= c_from FOR UPDATE;
    v_row record;
BEGIN
    p_updated := 0;
    OPEN cur_attendance(p_from);
    LOOP
        FETCH cur_attendance INTO v_row;
        EXIT WHEN NOT FOUND;
        UPDATE "Attendance" SET "HoursWorked" = 8 WHERE CURRENT OF cur_attendance;
        p_updated := p_updated + 1;
    END LOOP;
    CLOSE cur_attendance;
END;
$procedure$
