"""Indicator rules over the token stream, for objects sqlglot cannot parse.

Every rule looks at words, punctuation and their neighbours, never at the raw
text: a keyword inside a comment, a string literal or a quoted identifier is
not a word, and `CursorPosition` is not `CURSOR`. Rules are registered by the
word that triggers them (`_TSQL_WORD_RULES`, `_PG_WORD_RULES`), by token kind
(`#temp`, `@@IDENTITY`, `->>`), or run on every call `name(`; each records a
`Hit` at the token that is the evidence.
"""

from __future__ import annotations

from collections.abc import Callable

from lakebridge_dagster.assessment.context import Hit, RuleContext
from lakebridge_dagster.assessment.indicators import Indicator
from lakebridge_dagster.assessment.tokens import (
    PUNCT,
    QUOTED,
    STRING,
    SYSVAR,
    TEMP,
    VARIABLE,
    WORD,
    Dialect,
    Tok,
    TokenStream,
    dotted_name,
)

I = Indicator  # noqa: E741 - the rule tables below read better with a short name

# SQL Server spatial methods (geography and geometry share the OGC names).
SPATIAL_METHODS = frozenset(
    name.upper()
    for name in (
        "STArea STAsBinary STAsText STBoundary STBuffer STCentroid STContains STConvexHull "
        "STCrosses STCurveN STCurveToLine STDifference STDimension STDisjoint STDistance "
        "STEndPoint STEnvelope STEquals STExteriorRing STGeometryN STGeometryType "
        "STInteriorRingN STIntersection STIntersects STIsClosed STIsEmpty STIsRing STIsSimple "
        "STIsValid STLength STNumCurves STNumGeometries STNumInteriorRing STNumPoints "
        "STOverlaps STPointN STPointOnSurface STRelate STSrid STStartPoint STSymDifference "
        "STTouches STUnion STWithin STX STY STGeomFromText STGeomFromWKB STGeomCollFromText "
        "STPointFromText STPointFromWKB STLineFromText STLineFromWKB STPolyFromText "
        "STPolyFromWKB STMPointFromText STMLineFromText STMPolyFromText STGeomCollFromWKB "
        "MakeValid BufferWithTolerance EnvelopeCenter EnvelopeAngle ReorientObject "
        "ShortestLineTo AsTextZM"
    ).split()
)
HIERARCHYID_METHODS = frozenset(
    "GETANCESTOR GETDESCENDANT GETLEVEL GETREPARENTEDVALUE ISDESCENDANTOF GETROOT".split()
)
XML_METHODS = frozenset({"VALUE", "NODES", "QUERY", "EXIST", "MODIFY"})
TSQL_JSON_FUNCTIONS = frozenset(
    "OPENJSON OPENXML JSON_VALUE JSON_QUERY JSON_MODIFY ISJSON JSON_OBJECT JSON_ARRAY "
    "JSON_PATH_EXISTS JSON_OBJECTAGG JSON_ARRAYAGG".split()
)
PG_JSON_FUNCTIONS = frozenset({"TO_JSON", "TO_JSONB", "ROW_TO_JSON", "ARRAY_TO_JSON"})
PG_JSON_PREFIXES = ("JSON_", "JSONB_", "XML", "XPATH")
PG_JSON_OPERATORS = frozenset({"->", "->>", "#>", "#>>"})
TIMESCALEDB_FUNCTIONS = frozenset(
    (
        "time_bucket time_bucket_gapfill time_bucket_ng create_hypertable "
        "create_distributed_hypertable add_dimension add_retention_policy "
        "remove_retention_policy add_compression_policy remove_compression_policy "
        "add_continuous_aggregate_policy remove_continuous_aggregate_policy add_reorder_policy "
        "remove_reorder_policy add_job alter_job delete_job run_job compress_chunk "
        "decompress_chunk drop_chunks show_chunks set_chunk_time_interval "
        "set_integer_now_func hypertable_size hypertable_detailed_size hypertable_index_size "
        "chunks_detailed_size approximate_row_count locf interpolate histogram"
    )
    .upper()
    .split()
)
PG_SEQUENCE_FUNCTIONS = frozenset({"NEXTVAL", "CURRVAL", "SETVAL", "LASTVAL"})
PG_SERIAL_TYPES = frozenset({"SERIAL", "SERIAL2", "SERIAL4", "SERIAL8", "SMALLSERIAL", "BIGSERIAL"})
PG_LTREE_TYPES = frozenset({"LTREE", "LQUERY", "LTXTQUERY"})
PG_LTREE_FUNCTIONS = frozenset({"SUBLTREE", "SUBPATH", "NLEVEL", "TEXT2LTREE", "LTREE2TEXT"})
# Languages whose routine bodies are not SQL (PostgreSQL's CLR equivalent).
EXTERNAL_LANGUAGES = frozenset(
    "c plpython3u plpythonu plpython2u plperl plperlu pltcl pltclu plv8 plr pljava java plsh "
    "plrust".split()
)
# IDENTITY(int, 1, 1) in SELECT INTO is a call on the AST; the token rules catch
# every IDENTITY word (column property and function alike).
TSQL_IDENTITY_FUNCTIONS = frozenset(
    {"SCOPE_IDENTITY", "IDENT_CURRENT", "IDENT_SEED", "IDENT_INCR", "IDENTITY"}
)
# A table (or procedure) name follows these words.
TABLE_POSITION = frozenset(
    "FROM JOIN INTO UPDATE DELETE MERGE USING TABLE EXEC EXECUTE INSERT REFERENCES".split()
)
# Words after which a PL/pgSQL statement begins.
PG_STATEMENT_BOUNDARY = frozenset({"BEGIN", "THEN", "ELSE", "LOOP", "DECLARE"})


class TokenRules:
    """Runs every token rule over one stream and collects the hits."""

    def __init__(self, stream: TokenStream, ctx: RuleContext) -> None:
        self.s = stream
        self.t = stream.tokens
        self.ctx = ctx
        self.tsql = stream.dialect is Dialect.TSQL
        self.hits: list[Hit] = []
        self._temp_tables: set[str] = set()
        self._declaring: list[bool] | None = None

    # -- helpers -----------------------------------------------------------------

    def at(self, i: int) -> Tok | None:
        return self.t[i] if 0 <= i < len(self.t) else None

    def word(self, i: int, *words: str) -> bool:
        tok = self.at(i)
        return tok is not None and tok.is_word(*words)

    def punct(self, i: int, *texts: str) -> bool:
        tok = self.at(i)
        return tok is not None and tok.is_punct(*texts)

    def after_dot(self, i: int) -> bool:
        return self.punct(i - 1, ".")

    def is_call(self, i: int) -> bool:
        return self.punct(i + 1, "(")

    def is_name(self, i: int) -> bool:
        tok = self.at(i)
        return tok is not None and (tok.kind == QUOTED or (tok.kind == WORD and not tok.keyword))

    def is_nameish(self, i: int) -> bool:
        """Any token that can be part of a dotted name (keywords included)."""
        tok = self.at(i)
        return tok is not None and tok.kind in (WORD, QUOTED, TEMP, VARIABLE)

    def dotted_name(self, i: int) -> tuple[tuple[str, ...], int]:
        """The dotted name starting at `i` (`a.b..c` has an empty part) and its last index."""
        return dotted_name(self.t, i, self.is_nameish)

    def name_ending_at(self, i: int) -> tuple[tuple[str, ...], int]:
        """The dotted name whose last part is at `i`, and the index of its first part."""
        parts = [self.t[i].text]
        j = i
        while self.punct(j - 1, "."):
            if self.is_nameish(j - 2):
                parts.insert(0, self.t[j - 2].text)
                j -= 2
            elif self.punct(j - 2, "."):
                parts.insert(0, "")
                j -= 1
            else:
                break
        return tuple(parts), j

    def pg_statement_start(self, i: int) -> int:
        """Index of the first token of the PL/pgSQL statement holding token `i`."""
        j = i
        while j > 0:
            prev = self.t[j - 1]
            if (
                prev.is_punct(";")
                or prev.is_word(*PG_STATEMENT_BOUNDARY)
                or (prev.is_punct(">") and self.punct(j - 2, ">"))
            ):
                break
            j -= 1
        return j

    def at_pg_statement_start(self, i: int) -> bool:
        """Token `i` begins a PL/pgSQL statement (not a declaration in a DECLARE section)."""
        return self.pg_statement_start(i) == i and not self.in_declare_section(i)

    def in_declare_section(self, i: int) -> bool:
        """Token `i` follows a DECLARE with no BEGIN in between (computed once, in one pass)."""
        if self._declaring is None:
            declaring = False
            self._declaring = []
            for tok in self.t:
                self._declaring.append(declaring)
                if tok.is_word("DECLARE"):
                    declaring = True
                elif tok.is_word("BEGIN"):
                    declaring = False
        return self._declaring[i]

    def in_type_position(self, i: int) -> bool:
        """Whether the word at `i` is written where a data type goes."""
        j = i
        if self.punct(j - 1, ".") and self.is_name(j - 2):  # public.geometry
            j -= 2
        prev = self.at(j - 1)
        if prev is None:
            return False
        if prev.kind == VARIABLE or prev.is_punct("::") or prev.is_word("RETURNS", "TYPE"):
            return True
        if prev.is_word("AS"):
            return self.at(j - 2) is not None and (
                self.t[j - 2].kind == VARIABLE
                or self.s.enclosing_call(j) in ("CAST", "TRY_CAST", "CONVERT")
            )
        if self.is_name(j - 1):
            before = self.at(j - 2)
            return (
                before is None
                or before.is_punct("(", ",", ";")
                or before.is_word("ADD", "DECLARE", "IN", "OUT", "INOUT", "VARIADIC")
            )
        return False

    def hit(self, indicator: Indicator, i: int, detail: str | None = None) -> None:
        self.hits.append(Hit(indicator, self.s.source_offset(i), detail))

    # -- the pass ----------------------------------------------------------------

    def run(self) -> list[Hit]:
        word_rules = _TSQL_WORD_RULES if self.tsql else _PG_WORD_RULES
        for i, tok in enumerate(self.t):
            if tok.kind == WORD:
                for rule in word_rules.get(tok.up, ()):
                    rule(self, i)
                if self.is_call(i):
                    self.call_rules(i)
            elif tok.kind == QUOTED:
                self.type_rules(i)
                if self.is_call(i):
                    self.call_rules(i)
                if self.tsql and tok.up == "SP_EXECUTESQL":  # [sys].[sp_executesql]
                    self.hit(I.DYNAMIC_SQL, i)
            elif tok.kind == TEMP:
                self.temp_table(i)
            elif tok.kind == SYSVAR:
                if tok.up == "@@IDENTITY":
                    self.hit(I.IDENTITY, i)
            elif tok.kind == VARIABLE:
                self.table_variable(i)
            elif tok.kind == PUNCT and not self.tsql and tok.text in PG_JSON_OPERATORS:
                self.hit(I.XML_JSON, i)
            if tok.kind == WORD:
                self.type_rules(i)
        return self.hits

    # -- rules shared by both dialects ---------------------------------------------

    def type_rules(self, i: int) -> None:
        up = self.t[i].up
        indicator = (_TSQL_TYPES if self.tsql else _PG_TYPES).get(up)
        if indicator is None:
            return
        if self.in_type_position(i) or (
            self.tsql and self.punct(i + 1, "::") and indicator in (I.SPATIAL, I.HIERARCHYID)
        ):
            self.hit(indicator, i)

    def call_rules(self, i: int) -> None:
        """Rules for `name(`: functions of the catalog, of extensions, of the engine."""
        tok = self.t[i]
        parts, first = self.name_ending_at(i)
        # EXECUTE FUNCTION f() in a PostgreSQL trigger is the trigger's body, not a call.
        if not self.word(first - 1, "FUNCTION", "PROCEDURE"):
            function = self.ctx.called_function(parts)
            if function is not None:
                self.hit(I.UDF_CALL, i, function.qualified_name)
        up = tok.up
        if self.tsql:
            if up in TSQL_JSON_FUNCTIONS and len(parts) == 1:
                self.hit(I.XML_JSON, i)
            elif up in ("OPENQUERY", "OPENROWSET", "OPENDATASOURCE") and len(parts) == 1:
                self.hit(I.LINKED_SERVER, i)
            elif up in TSQL_IDENTITY_FUNCTIONS and up != "IDENTITY" and len(parts) == 1:
                self.hit(I.IDENTITY, i)
            elif self.after_dot(i) or self.punct(i - 1, "::"):
                if up in SPATIAL_METHODS:
                    self.hit(I.SPATIAL, i)
                elif up in HIERARCHYID_METHODS:
                    self.hit(I.HIERARCHYID, i)
                elif (
                    up in XML_METHODS
                    and self.at(i + 2) is not None
                    and self.t[i + 2].kind == STRING
                ):
                    self.hit(I.XML_JSON, i)
            return
        if up.startswith("ST_"):
            self.hit(I.SPATIAL, i)
        elif up in PG_JSON_FUNCTIONS or up.startswith(PG_JSON_PREFIXES):
            self.hit(I.XML_JSON, i)
        elif up in TIMESCALEDB_FUNCTIONS:
            self.hit(I.TIMESCALEDB, i)
        elif up in PG_SEQUENCE_FUNCTIONS:
            self.hit(I.SEQUENCE, i)
        elif up in ("CROSSTAB", "CROSSTAB2", "CROSSTAB3", "CROSSTAB4"):
            self.hit(I.PIVOT, i)
        elif up.startswith("DBLINK"):
            self.hit(I.LINKED_SERVER, i)
        elif up == "PG_NOTIFY":
            self.hit(I.LISTEN_NOTIFY, i)
        elif up in PG_LTREE_FUNCTIONS:
            self.hit(I.HIERARCHYID, i)

    def merge(self, i: int) -> None:
        """`MERGE [TOP (n)] [INTO] target [WITH (hints)] [[AS] alias] USING`."""
        if self.after_dot(i):
            return
        j = i + 1
        if self.word(j, "TOP") and self.punct(j + 1, "("):
            j = (self.s.closing(j + 1) or j) + 1
        if self.word(j, "INTO"):
            j += 1
        if not self.is_nameish(j):
            return
        _, j = self.dotted_name(j)
        j += 1
        if self.word(j, "WITH") and self.punct(j + 1, "("):
            j = (self.s.closing(j + 1) or j) + 1
        if self.word(j, "AS"):
            j += 1
        if self.is_nameish(j) and not self.word(j, "USING"):
            j += 1
        if self.word(j, "USING"):
            self.hit(I.MERGE, i)

    def pivot(self, i: int) -> None:
        if not self.after_dot(i) and self.is_call(i):
            self.hit(I.PIVOT, i)

    def recursive_cte(self, i: int) -> None:
        """`WITH [RECURSIVE] name [(cols)] AS (body) [, name AS (body)]...`, body reads name."""
        if self.after_dot(i):
            return
        j = i + 1
        if self.word(j, "RECURSIVE"):
            j += 1
        while self.is_nameish(j):
            name = self.t[j].text.lower()
            j += 1
            if self.punct(j, "("):
                close = self.s.closing(j)
                if close is None:
                    return
                j = close + 1
                if name == "xmlnamespaces" and self.punct(j, ","):
                    j += 1
                    continue
            if not self.word(j, "AS"):
                return
            j += 1
            if self.word(j, "NOT"):
                j += 1
            if self.word(j, "MATERIALIZED"):
                j += 1
            if not self.punct(j, "("):
                return
            close = self.s.closing(j)
            if close is None:
                return
            for k in range(j + 1, close):
                tok = self.t[k]
                if (
                    tok.kind in (WORD, QUOTED)
                    and tok.text.lower() == name
                    and self.word(k - 1, "FROM", "JOIN")
                    and not self.punct(k + 1, ".")
                ):
                    self.hit(I.RECURSIVE_CTE, k, name)
                    break
            j = close + 1
            if not self.punct(j, ","):
                return
            j += 1

    def trigger(self, i: int) -> None:
        prev = self.at(i - 1)
        if prev is None:
            return
        if prev.is_word("CREATE", "ALTER", "REPLACE", "CONSTRAINT") or (
            not self.tsql and prev.is_word("RETURNS")
        ):
            self.hit(I.TRIGGER, i)

    def sequence_ddl(self, i: int) -> None:
        if self.word(i - 1, "CREATE", "ALTER"):
            self.hit(I.SEQUENCE, i)

    def table_position_name(self, i: int) -> None:
        """3- and 4-part names where a table or procedure name goes."""
        if not self.is_nameish(i + 1):
            return
        parts, _ = self.dotted_name(i + 1)
        if len(parts) >= 4:
            self.hit(I.LINKED_SERVER, i + 1, ".".join(parts))
        elif len(parts) == 3 and parts[0] and self.ctx.index.is_other_database(parts[0]):
            self.hit(I.CROSS_DATABASE, i + 1, ".".join(parts))

    # -- T-SQL rules ---------------------------------------------------------------

    def tsql_cursor(self, i: int) -> None:
        if not self.after_dot(i):
            self.hit(I.CURSOR, i)

    def tsql_while(self, i: int) -> None:
        if not self.after_dot(i):
            self.hit(I.WHILE_LOOP, i)

    def tsql_begin(self, i: int) -> None:
        nxt = self.at(i + 1)
        if nxt is None:
            return
        if nxt.is_word("TRY"):
            self.hit(I.TRY_CATCH, i)
        elif nxt.is_word("TRAN", "TRANSACTION") or (
            nxt.is_word("DISTRIBUTED") and self.word(i + 2, "TRAN", "TRANSACTION")
        ):
            self.hit(I.TRANSACTION, i)

    def tsql_commit(self, i: int) -> None:
        if not self.after_dot(i) and not self.word(i - 1, "ON"):
            self.hit(I.TRANSACTION, i)

    def tsql_save(self, i: int) -> None:
        if self.word(i + 1, "TRAN", "TRANSACTION"):
            self.hit(I.TRANSACTION, i)

    def tsql_execute(self, i: int) -> None:
        """`EXEC (...)` and `EXEC @proc` run dynamic SQL; `EXEC @rc = proc` does not."""
        nxt = self.at(i + 1)
        if nxt is None:
            return
        if nxt.is_punct("("):
            self.hit(I.DYNAMIC_SQL, i)
            close = self.s.closing(i + 1)
            if close is not None and self.word(close + 1, "AT"):
                self.hit(I.LINKED_SERVER, close + 1)
        elif nxt.kind == VARIABLE and not self.punct(i + 2, "="):
            self.hit(I.DYNAMIC_SQL, i)
        self.table_position_name(i)

    def tsql_for(self, i: int) -> None:
        nxt = self.at(i + 1)
        if nxt is None or self.after_dot(i):
            return
        if nxt.is_word("XML", "JSON"):
            self.hit(I.XML_JSON, i)
        elif nxt.is_word("SYSTEM_TIME"):
            self.hit(I.TEMPORAL_TABLE, i)

    def tsql_xml_word(self, i: int) -> None:
        if self.word(i + 1, "SCHEMA", "INDEX"):
            self.hit(I.XML_JSON, i)

    def tsql_identity(self, i: int) -> None:
        if not self.after_dot(i):
            self.hit(I.IDENTITY, i)

    def tsql_next(self, i: int) -> None:
        if self.word(i + 1, "VALUE") and self.word(i + 2, "FOR"):
            self.hit(I.SEQUENCE, i)

    def tsql_external(self, i: int) -> None:
        if self.word(i + 1, "NAME"):
            self.hit(I.CLR, i)

    def tsql_assembly(self, i: int) -> None:
        if self.word(i - 1, "CREATE", "ALTER"):
            self.hit(I.CLR, i)

    def tsql_spatial_index(self, i: int) -> None:
        if self.word(i + 1, "INDEX"):
            self.hit(I.SPATIAL, i)

    def temp_table(self, i: int) -> None:
        name = self.t[i].up
        if name not in self._temp_tables:
            self._temp_tables.add(name)
            self.hit(I.TEMP_TABLE, i, self.t[i].text)

    def table_variable(self, i: int) -> None:
        j = i + 1
        if self.word(j, "AS"):
            j += 1
        if self.word(j, "TABLE") and (
            self.word(i - 1, "DECLARE", "RETURNS") or self.punct(i - 1, ",")
        ):
            self.hit(I.TABLE_VARIABLE, i, self.t[i].text)

    # -- PostgreSQL rules ----------------------------------------------------------

    def pg_cursor(self, i: int) -> None:
        if self.after_dot(i):
            return
        if self.word(i + 1, "FOR", "IS", "WITH", "WITHOUT") or self.punct(i + 1, "("):
            self.hit(I.CURSOR, i)

    def pg_for(self, i: int) -> None:
        """`FOR target IN query|EXECUTE|cursor LOOP` iterates an (implicit) cursor."""
        if not self.at_pg_statement_start(i):
            return
        j = i + 1
        while self.is_nameish(j):
            j += 1
            if not self.punct(j, ","):
                break
            j += 1
        if not self.word(j, "IN"):
            return
        j += 1
        if self.word(j, "SELECT", "WITH", "EXECUTE", "VALUES", "TABLE") or (
            self.is_nameish(j)
            and (self.word(j + 1, "LOOP") or self.punct(j + 1, "("))
            and not self.word(j, "REVERSE")
        ):
            self.hit(I.CURSOR, i)

    def pg_open(self, i: int) -> None:
        """`OPEN c [[NO] SCROLL] FOR query` opens an unbound cursor."""
        if not self.at_pg_statement_start(i) or not self.is_nameish(i + 1):
            return
        j = i + 2
        if self.word(j, "NO"):
            j += 1
        if self.word(j, "SCROLL"):
            j += 1
        if self.word(j, "FOR"):
            self.hit(I.CURSOR, i)

    def pg_loop(self, i: int) -> None:
        if self.word(i - 1, "END") or self.after_dot(i):
            return
        self.hit(I.WHILE_LOOP, self.pg_statement_start(i))

    def pg_execute(self, i: int) -> None:
        if self.after_dot(i) or self.word(i + 1, "FUNCTION", "PROCEDURE", "ON"):
            return
        self.hit(I.DYNAMIC_SQL, i)

    def pg_exception(self, i: int) -> None:
        if self.word(i + 1, "WHEN"):
            self.hit(I.TRY_CATCH, i)

    def pg_transaction(self, i: int) -> None:
        if self.at_pg_statement_start(i):
            self.hit(I.TRANSACTION, i)

    def pg_temp(self, i: int) -> None:
        prev = self.at(i - 1)
        if prev is None:
            return
        if (
            prev.is_word("INTO")
            or prev.is_word("CREATE")
            or (prev.is_word("GLOBAL", "LOCAL") and self.word(i - 2, "CREATE"))
        ):
            self.hit(I.TEMP_TABLE, i)

    def pg_identity(self, i: int) -> None:
        if self.word(i - 1, "AS") and not self.after_dot(i):
            self.hit(I.IDENTITY, i)

    def pg_listen(self, i: int) -> None:
        if self.at_pg_statement_start(i) and (self.is_nameish(i + 1) or self.punct(i + 1, "*")):
            self.hit(I.LISTEN_NOTIFY, i)

    def pg_refcursor(self, i: int) -> None:
        if not self.is_call(i) and not self.punct(i + 1, "."):
            self.hit(I.REFCURSOR, i)

    def pg_language(self, i: int) -> None:
        nxt = self.at(i + 1)
        if (
            nxt is not None
            and nxt.kind in (WORD, QUOTED)
            and nxt.text.lower() in EXTERNAL_LANGUAGES
        ):
            self.hit(I.CLR, i + 1, f"LANGUAGE {nxt.text}")

    def pg_timescaledb_word(self, i: int) -> None:
        if self.punct(i + 1, "."):
            self.hit(I.TIMESCALEDB, i)


_TSQL_TYPES = {
    "GEOGRAPHY": I.SPATIAL,
    "GEOMETRY": I.SPATIAL,
    "HIERARCHYID": I.HIERARCHYID,
    "XML": I.XML_JSON,
    "JSON": I.XML_JSON,
}
_PG_TYPES = {
    "GEOGRAPHY": I.SPATIAL,
    "GEOMETRY": I.SPATIAL,
    "XML": I.XML_JSON,
    "JSON": I.XML_JSON,
    "JSONB": I.XML_JSON,
    **{name: I.HIERARCHYID for name in PG_LTREE_TYPES},
    **{name: I.SEQUENCE for name in PG_SERIAL_TYPES},
}

Rule = Callable[[TokenRules, int], None]


def _word_hit(indicator: Indicator) -> Rule:
    """A rule for a word that is the indicator wherever it is a word."""

    def rule(self: TokenRules, i: int) -> None:
        self.hit(indicator, i)

    return rule


_SHARED_WORD_RULES: dict[str, list[Rule]] = {
    "MERGE": [TokenRules.merge],
    "PIVOT": [TokenRules.pivot],
    "UNPIVOT": [TokenRules.pivot],
    "WITH": [TokenRules.recursive_cte],
    "TRIGGER": [TokenRules.trigger],
    "SEQUENCE": [TokenRules.sequence_ddl],
}
for _word in sorted(TABLE_POSITION - {"EXEC", "EXECUTE"}):
    _SHARED_WORD_RULES.setdefault(_word, []).append(TokenRules.table_position_name)


def _merged(extra: dict[str, list[Rule]]) -> dict[str, list[Rule]]:
    rules = {word: list(found) for word, found in _SHARED_WORD_RULES.items()}
    for word, found in extra.items():
        rules.setdefault(word, []).extend(found)
    return rules


_TSQL_WORD_RULES = _merged(
    {
        "CURSOR": [TokenRules.tsql_cursor],
        "WHILE": [TokenRules.tsql_while],
        "BEGIN": [TokenRules.tsql_begin],
        "COMMIT": [TokenRules.tsql_commit],
        "ROLLBACK": [TokenRules.tsql_commit],
        "SAVE": [TokenRules.tsql_save],
        "EXEC": [TokenRules.tsql_execute],
        "EXECUTE": [TokenRules.tsql_execute],
        "SP_EXECUTESQL": [_word_hit(I.DYNAMIC_SQL)],
        "FOR": [TokenRules.tsql_for],
        "XML": [TokenRules.tsql_xml_word],
        "XMLNAMESPACES": [_word_hit(I.XML_JSON)],
        "SP_XML_PREPAREDOCUMENT": [_word_hit(I.XML_JSON)],
        "SYSTEM_VERSIONING": [_word_hit(I.TEMPORAL_TABLE)],
        "IDENTITY": [TokenRules.tsql_identity],
        "IDENTITY_INSERT": [_word_hit(I.IDENTITY)],
        "$IDENTITY": [_word_hit(I.IDENTITY)],
        "CHECKIDENT": [_word_hit(I.IDENTITY)],
        "NEXT": [TokenRules.tsql_next],
        "SP_SEQUENCE_GET_RANGE": [_word_hit(I.SEQUENCE)],
        "EXTERNAL": [TokenRules.tsql_external],
        "ASSEMBLY": [TokenRules.tsql_assembly],
        "SPATIAL": [TokenRules.tsql_spatial_index],
    }
)
_PG_WORD_RULES = _merged(
    {
        "CURSOR": [TokenRules.pg_cursor],
        "FOR": [TokenRules.pg_for],
        "OPEN": [TokenRules.pg_open],
        "LOOP": [TokenRules.pg_loop],
        "EXECUTE": [TokenRules.pg_execute],
        "EXCEPTION": [TokenRules.pg_exception],
        "COMMIT": [TokenRules.pg_transaction],
        "ROLLBACK": [TokenRules.pg_transaction],
        "SAVEPOINT": [TokenRules.pg_transaction],
        "TEMP": [TokenRules.pg_temp],
        "TEMPORARY": [TokenRules.pg_temp],
        "IDENTITY": [TokenRules.pg_identity],
        "LISTEN": [TokenRules.pg_listen],
        "NOTIFY": [TokenRules.pg_listen],
        "UNLISTEN": [TokenRules.pg_listen],
        "REFCURSOR": [TokenRules.pg_refcursor],
        "LANGUAGE": [TokenRules.pg_language],
        "TIMESCALEDB": [TokenRules.pg_timescaledb_word],
    }
)


def token_hits(stream: TokenStream, ctx: RuleContext) -> list[Hit]:
    """Every indicator the token rules find in `stream`."""
    return TokenRules(stream, ctx).run()
