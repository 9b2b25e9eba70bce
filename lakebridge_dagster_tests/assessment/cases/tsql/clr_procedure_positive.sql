-- expect: CLR
CREATE PROCEDURE dbo.clr_procedure_positive
    @path NVARCHAR(400)
AS EXTERNAL NAME FileTools.[FileTools.Procedures].ImportFile;
