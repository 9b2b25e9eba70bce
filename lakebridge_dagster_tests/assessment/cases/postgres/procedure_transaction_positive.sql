-- expect: TRANSACTION, WHILE_LOOP
-- type: PROCEDURE
-- language: plpgsql
-- lines: TRANSACTION@13 TRANSACTION@16
CREATE OR REPLACE PROCEDURE public.procedure_transaction_positive()
 LANGUAGE plpgsql
AS $procedure$
DECLARE i integer;
BEGIN
    FOR i IN 1..10 LOOP
        INSERT INTO "Batch" ("N") VALUES (i);
        IF i % 5 = 0 THEN
            COMMIT;
        END IF;
    END LOOP;
    ROLLBACK;
END;
$procedure$
