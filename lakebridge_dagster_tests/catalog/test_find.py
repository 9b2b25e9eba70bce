"""SourceCatalog.find: exact case wins, else case-insensitive, optional schema
and type filters; its name index follows changes to `objects`."""

import pytest

from lakebridge_dagster.catalog.model import CatalogObject, ObjectType, SourceCatalog


def _obj(schema: str, name: str, object_type: ObjectType = ObjectType.TABLE) -> CatalogObject:
    return CatalogObject(schema=schema, name=name, type=object_type)


def _catalog() -> SourceCatalog:
    return SourceCatalog(
        source="s",
        dialect="tsql",
        objects=[
            _obj("dbo", "orders"),
            _obj("dbo", "Orders", ObjectType.VIEW),
            _obj("sales", "ORDERS"),
            _obj("dbo", "Customer"),
        ],
    )


@pytest.mark.parametrize(
    ("name", "schema", "object_type", "expected"),
    [
        ("Orders", None, None, ("dbo", "Orders")),  # exact case wins over an earlier match
        ("orders", None, None, ("dbo", "orders")),
        ("oRDERS", None, None, ("dbo", "orders")),  # no exact: the first in catalog order
        ("orders", "SALES", None, ("sales", "ORDERS")),
        ("ORDERS", None, ObjectType.VIEW, ("dbo", "Orders")),
        ("customer", "dbo", ObjectType.TABLE, ("dbo", "Customer")),
        ("customer", "sales", None, None),
        ("missing", None, None, None),
    ],
)
def test_find(name, schema, object_type, expected):
    found = _catalog().find(name, schema=schema, object_type=object_type)
    assert (found.schema_name, found.name) == expected if expected else found is None


def test_find_sees_objects_appended_replaced_or_renamed_after_a_lookup():
    catalog = _catalog()
    assert catalog.find("Product") is None
    catalog.objects.append(_obj("dbo", "Product"))
    assert catalog.find("product").name == "Product"
    catalog.objects = [_obj("x", "Other")]
    assert catalog.find("product") is None
    assert catalog.find("other").schema_name == "x"
    catalog.objects[0].name = "Renamed"
    assert catalog.find("other") is None
    assert catalog.find("renamed").name == "Renamed"


def test_a_used_index_is_no_part_of_the_catalogs_value():
    catalog = _catalog()
    assert catalog.find("orders") is not None
    assert SourceCatalog.model_validate_json(catalog.to_json()) == catalog
