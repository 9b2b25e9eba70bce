-- expect: DYNAMIC_SQL
-- EXEC @proc runs the procedure whose name is in the variable.
CREATE PROCEDURE dbo.dynamic_sql_proc_variable_positive
    @proc SYSNAME
AS
BEGIN
    EXEC @proc;
END
