"""check_script: Databricks SQL scripting accepted or rejected with the problem named."""

from __future__ import annotations

import pytest

from lakebridge_dagster.transpile.scripting import check_script

PROCEDURE = """CREATE OR REPLACE PROCEDURE `main`.`silver`.`p`(IN p1 STRING, INOUT p2 INT DEFAULT 5)
LANGUAGE SQL
SQL SECURITY INVOKER
COMMENT 'Converted from T-SQL dbo.p'
AS BEGIN
  body: BEGIN
    DECLARE v INT DEFAULT 0;
    DECLARE EXIT HANDLER FOR SQLEXCEPTION
    BEGIN
      CALL `main`.`silver`.`log_error`(a => 1);
    END;
    SET v = (SELECT COUNT(*) FROM t WHERE t.a = p.p1);
    IF v > 1 THEN
      SET p2 = 2;
    ELSEIF v < 0 THEN
      SELECT 1;
    ELSE
      LEAVE body;
    END IF;
  END body;
END"""

VALID = {
    "procedure": PROCEDURE,
    "bare compound": "BEGIN SELECT 1; END",
    "empty compound": "BEGIN END",
    "trailing semicolon": "BEGIN SELECT 1; END;",
    "several variables, = default": "BEGIN DECLARE a, b INT; DECLARE c = 5; SET a = c; END",
    "condition and handler": (
        "BEGIN DECLARE no_rows CONDITION FOR SQLSTATE '02000';"
        " DECLARE CONTINUE HANDLER FOR no_rows, SQLSTATE '22012' SET x = 1; SELECT 1; END"
    ),
    "while with label and iterate": (
        "BEGIN DECLARE i INT DEFAULT 0;"
        " lp: WHILE i < 10 DO SET i = i + 1; IF i = 5 THEN ITERATE lp; END IF; END WHILE lp;"
        " END"
    ),
    "loop leave": "BEGIN l: LOOP LEAVE l; END LOOP l; END",
    "repeat": "BEGIN DECLARE i INT DEFAULT 0; REPEAT SET i = i + 1; UNTIL i > 3 END REPEAT; END",
    "for over a query with CASE": (
        "BEGIN FOR r AS SELECT a, CASE WHEN a > 1 THEN 2 ELSE 3 END AS b FROM t DO"
        " INSERT INTO u VALUES (r.a); END FOR; END"
    ),
    "case statement, simple": "BEGIN CASE x WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END",
    "case statement, searched": "BEGIN CASE WHEN x > 1 THEN SELECT 1; END CASE; END",
    "signal, resignal": (
        "BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION BEGIN RESIGNAL; END;"
        " SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'bad'; END"
    ),
    "execute immediate": "BEGIN EXECUTE IMMEDIATE 'SELECT 1'; END",
    "set a tuple from a query": (
        "BEGIN DECLARE a INT; DECLARE b INT; SET (a, b) = (SELECT 1, 2); END"
    ),
    "the same name in a nested compound": (
        "BEGIN DECLARE x INT; inner: BEGIN DECLARE x INT; SET x = 1; END inner; END"
    ),
    "nested labelled compound": "BEGIN inner: BEGIN LEAVE inner; END inner; END",
    "dml and merge": (
        "BEGIN UPDATE t SET a = 1 WHERE b = 2; DELETE FROM t WHERE a IS NULL;"
        " MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE SET t.b = s.b; END"
    ),
    "comments are ignored": "BEGIN -- a comment; END IF\n SELECT 1; /* END */ END",
    "call without arguments": "BEGIN CALL a.b.c(); END",
}

INVALID = {
    "END IF closing a compound": ("BEGIN SELECT 1; END IF;", "END IF"),
    "IF closed by END": ("BEGIN IF x THEN SELECT 1; END; END", "expected IF"),
    "LEAVE an unknown label": ("BEGIN LEAVE foo; END", "LEAVE foo"),
    "ITERATE a compound": ("BEGIN b: BEGIN ITERATE b; END b; END", "not a loop"),
    "label mismatch": ("BEGIN b: BEGIN SELECT 1; END c; END", "END c"),
    "label on the top-level compound": ("a: BEGIN END a", "BEGIN ... END"),
    "missing semicolon": ("BEGIN SELECT 1 END", "expected ;"),
    "statement that does not parse": ("BEGIN SELECT FROM WHERE; END", "does not parse"),
    "unknown variable type": ("BEGIN DECLARE x FOO; END", "unknown type FOO"),
    "DECLARE after a statement": ("BEGIN SELECT 1; DECLARE x INT; END", "DECLARE must come"),
    "handler before a variable": (
        "BEGIN DECLARE EXIT HANDLER FOR SQLEXCEPTION SELECT 1; DECLARE x INT; END",
        "before handlers",
    ),
    "a variable declared twice": (
        "BEGIN DECLARE x INT; DECLARE x STRING; END",
        "x is declared twice",
    ),
    "RETURN in a procedure": ("BEGIN RETURN 1; END", "RETURN"),
    "not a statement": ("BEGIN FOO BAR; END", "FOO does not start a statement"),
    "SET without a value": ("BEGIN SET x; END", "SET x"),
    "unterminated block": ("BEGIN SELECT 1;", "expected END"),
    "WHILE without DO": ("BEGIN WHILE x > 1 SELECT 1; END WHILE; END", "not followed by DO"),
    "FOR without a query": ("BEGIN FOR r AS 1 + 1 DO SELECT 1; END FOR; END", "FOR"),
    "SIGNAL with a short SQLSTATE": ("BEGIN SIGNAL SQLSTATE '450'; END", "5-character"),
    "CALL without arguments list": ("BEGIN CALL x; END", "CALL needs"),
    "EXECUTE without IMMEDIATE": ("BEGIN EXECUTE 'SELECT 1'; END", "IMMEDIATE"),
    "procedure without LANGUAGE SQL": (
        "CREATE PROCEDURE p() AS BEGIN SELECT 1; END",
        "LANGUAGE SQL",
    ),
    "parameter with an unknown type": (
        "CREATE PROCEDURE p(IN a NOPE) LANGUAGE SQL AS BEGIN SELECT 1; END",
        "unknown type NOPE",
    ),
    "bad SQL SECURITY": (
        "CREATE PROCEDURE p() LANGUAGE SQL SQL SECURITY NOBODY AS BEGIN SELECT 1; END",
        "INVOKER or DEFINER",
    ),
    "text after the body": ("BEGIN SELECT 1; END; SELECT 2", "after the end"),
    "a word after END": ("BEGIN SELECT 1; END SELECT 2", "END SELECT"),
    "unterminated string": ("BEGIN SELECT 'x; END", "tokenized"),
}


@pytest.mark.parametrize("script", VALID.values(), ids=VALID.keys())
def test_valid_scripts_have_no_problems(script: str) -> None:
    assert check_script(script) == []


@pytest.mark.parametrize(("script", "problem"), INVALID.values(), ids=INVALID.keys())
def test_invalid_scripts_are_rejected_naming_the_problem(script: str, problem: str) -> None:
    problems = check_script(script)
    assert problems, script
    assert any(problem in found for found in problems), problems


def test_problems_name_their_line() -> None:
    script = "BEGIN\n  SELECT 1;\n  SELECT FROM;\nEND"
    (problem,) = check_script(script)
    assert problem.startswith("line 3:")


def test_every_bad_leaf_statement_is_reported() -> None:
    script = "BEGIN\n  SELECT FROM;\n  SELECT 1;\n  INSERT INTO;\nEND"
    problems = check_script(script)
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 4"]
