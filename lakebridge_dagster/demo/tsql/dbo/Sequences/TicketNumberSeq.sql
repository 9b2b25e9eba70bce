-- Human-readable safety ticket numbers (dbo.SafetyTicket.TicketNumber defaults to the next value).
CREATE SEQUENCE [dbo].[TicketNumberSeq]
    AS INT
    START WITH 100000
    INCREMENT BY 1
    MINVALUE 100000
    NO MAXVALUE
    NO CYCLE
    CACHE 50;
GO
