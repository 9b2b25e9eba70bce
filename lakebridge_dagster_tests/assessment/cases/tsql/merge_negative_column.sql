-- expect: none
-- MERGE as a (quoted) column name, in a string and in a comment.
CREATE PROCEDURE dbo.merge_negative_column
AS
BEGIN
    SELECT d.[Merge], d."MERGE", d.MergeCount, 'MERGE dbo.T USING dbo.S' AS Example
    FROM dbo.Deduplication AS d;
    UPDATE dbo.Deduplication SET [Merge] = 1 WHERE MergeCount > 1;
    -- MERGE INTO dbo.Deduplication USING dbo.Other ON 1 = 1
END
