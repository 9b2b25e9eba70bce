-- expect: SEQUENCE
CREATE PROCEDURE dbo.sequence_next_value_positive
AS
INSERT INTO dbo.Ticket (Number, Title)
VALUES (NEXT VALUE FOR dbo.TicketNumberSeq, N'new');
