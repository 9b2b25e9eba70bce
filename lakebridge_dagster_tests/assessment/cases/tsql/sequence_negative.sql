-- expect: none
-- type: VIEW
-- OFFSET ... FETCH NEXT is paging; Sequence is a column.
CREATE VIEW dbo.sequence_negative
AS
SELECT s.[Sequence], s.SequenceNumber, 'NEXT VALUE FOR dbo.S' AS Example
FROM dbo.Step AS s
ORDER BY s.SequenceNumber
OFFSET 0 ROWS FETCH NEXT 10 ROWS ONLY
