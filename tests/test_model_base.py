"""What every model gets from the base (cxroadmap/database.py, db.Model): its table's name and its `id`.

Walks the mapped models rather than a list kept by hand."""

from flask_sqlalchemy.model import camel_to_snake_case

from cxroadmap.extensions import db


def _models():
    return sorted((mapper for mapper in db.Model.registry.mappers), key=lambda mapper: mapper.class_.__name__)


def test_a_model_is_keyed_by_its_id_first_or_by_a_key_of_its_own_never_both(app):
    for mapper in _models():
        table = mapper.local_table
        if "id" in table.c:
            assert [column.name for column in table.primary_key] == ["id"], mapper.class_.__name__
            assert table.c.keys()[0] == "id", mapper.class_.__name__
        else:  # it says so: `id = None`, or an `id` of its own that is no column (CaseSettings: its organisation's)
            assert "id" in mapper.class_.__dict__ and "id" not in mapper.columns, mapper.class_.__name__


def test_a_table_is_named_after_its_model_unless_the_model_says_otherwise(app):
    named_otherwise = {mapper.class_.__name__: mapper.local_table.name for mapper in _models()
                       if mapper.local_table.name != camel_to_snake_case(mapper.class_.__name__)}
    assert named_otherwise == {"Case": "follow_up_case", "DataVersion": "organisation_data_version",
                               "GroupMapping": "sso_group_mapping", "User": "user_account"}
    for name in named_otherwise:
        model = next(mapper.class_ for mapper in _models() if mapper.class_.__name__ == name)
        assert "__tablename__" in model.__dict__
