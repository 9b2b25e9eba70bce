-- expect: none
-- The words are here, but never as code: comments, strings, identifiers.
CREATE PROCEDURE dbo.cursor_negative_comment_string_identifier
AS
BEGIN
    -- DECLARE c CURSOR FOR SELECT 1; WHILE @@FETCH_STATUS = 0
    /* OPEN c; FETCH NEXT FROM c; WHILE 1 = 1 BEGIN END
       DECLARE c2 CURSOR FOR SELECT 2 */
    SELECT e.CursorPosition,
           e.[Cursor],
           e."While",
           N'DECLARE c CURSOR FOR SELECT 1' AS Example,
           'WHILE @@FETCH_STATUS = 0' AS Loop_Text
    FROM dbo.Editor AS e
    WHERE e.CursorPosition > 0;
END
