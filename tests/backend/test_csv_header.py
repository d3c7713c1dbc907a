"""GetCSVHeader's columns, and how an import file's header line is held against them."""

from __future__ import annotations

import pytest

from pytest_cognito_mock.backend import CognitoBackend, user_pools
from pytest_cognito_mock.backend.csv_import import CsvFileError, CsvImport, csv_header
from pytest_cognito_mock.backend.models import UserPool
from pytest_cognito_mock.backend.schema import AttributeRequest
from pytest_cognito_mock.backend.user_pools import PoolSettings

DEFAULT_HEADER = [
    "name",
    "given_name",
    "family_name",
    "middle_name",
    "nickname",
    "preferred_username",
    "profile",
    "picture",
    "website",
    "email",
    "email_verified",
    "gender",
    "birthdate",
    "zoneinfo",
    "locale",
    "phone_number",
    "phone_number_verified",
    "address",
    "updated_at",
    "cognito:mfa_enabled",
    "cognito:username",
]


def _pool(schema: list[AttributeRequest] | None = None) -> UserPool:
    backend = CognitoBackend("123456789012")
    settings = PoolSettings(auto_verified_attributes=["email"])
    return user_pools.create_user_pool(backend, "us-east-1", "app", settings, schema or [])


def _error(data: bytes, header: list[str] = DEFAULT_HEADER) -> str:
    with pytest.raises(CsvFileError) as raised:
        CsvImport(data, header)
    assert len(raised.value.message) <= 128
    assert str(raised.value) == raised.value.message
    return raised.value.message


def test_a_default_pool_has_the_21_standard_columns_in_aws_order():
    assert csv_header(_pool()) == DEFAULT_HEADER


def test_custom_attributes_follow_updated_at_in_creation_order_with_dev_prefixes():
    pool = _pool(
        [
            AttributeRequest("costcenter"),
            AttributeRequest("bandwidth", "Number", developer_only=True),
        ]
    )
    user_pools.add_custom_attributes(
        pool, [AttributeRequest("tier"), AttributeRequest("alpha", developer_only=True)]
    )
    header = csv_header(pool)
    assert header[:19] == DEFAULT_HEADER[:19]
    assert header[19:] == [
        "custom:costcenter",
        "dev:custom:bandwidth",
        "custom:tier",
        "dev:custom:alpha",
        "cognito:mfa_enabled",
        "cognito:username",
    ]


def test_required_and_narrowed_standard_attributes_do_not_change_the_header():
    pool = _pool([AttributeRequest("given_name", required=True, string_max="20")])
    assert csv_header(pool) == DEFAULT_HEADER


def test_columns_may_come_in_any_order_with_whitespace_and_crlf():
    reordered = list(reversed(DEFAULT_HEADER))
    line = " , ".join(reordered)
    opened = CsvImport(f" {line} \r\n".encode(), DEFAULT_HEADER)
    assert opened.total_rows == 0
    assert opened.apply_next(_pool()) is None


def test_a_missing_column_fails_the_file():
    line = ",".join(c for c in DEFAULT_HEADER if c != "email_verified")
    assert _error(line.encode()) == "The CSV header is missing the column(s): email_verified."


def test_an_unknown_column_fails_the_file():
    line = ",".join([*DEFAULT_HEADER, "foo"])
    assert _error(line.encode()) == "The CSV header has unknown column(s): foo."


def test_column_names_are_case_sensitive():
    line = ",".join(c if c != "email" else "Email" for c in DEFAULT_HEADER)
    assert _error(line.encode()) == "The CSV header is missing the column(s): email."


def test_a_repeated_column_fails_the_file():
    line = ",".join([*DEFAULT_HEADER, "email", "email"])
    assert _error(line.encode()) == "The CSV header repeats the column(s): email."


def test_an_empty_column_name_fails_the_file():
    assert _error((",".join(DEFAULT_HEADER) + ",").encode()) == (
        "The CSV header has an empty column name."
    )


def test_a_blank_first_line_is_not_a_header():
    data = ("\n" + ",".join(DEFAULT_HEADER)).encode()
    assert _error(data) == "The first line of the CSV file must be the header."


def test_a_custom_pool_header_needs_its_custom_columns():
    pool = _pool([AttributeRequest("tier")])
    assert _error(",".join(DEFAULT_HEADER).encode(), csv_header(pool)) == (
        "The CSV header is missing the column(s): custom:tier."
    )
    assert CsvImport(",".join(csv_header(pool)).encode(), csv_header(pool)).total_rows == 0


def test_long_lists_of_columns_are_cut_to_fit_a_completion_message():
    line = "a,b"
    message = _error(line.encode())
    assert message.startswith("The CSV header is missing the column(s): name, given_name, ")
    assert message.endswith(" more.")
    unknown = ",".join([*DEFAULT_HEADER, "x" * 500, *(f"extra{n}" for n in range(40))])
    message = _error(unknown.encode())
    assert message.startswith("The CSV header has unknown column(s): " + "x" * 39 + "…, extra0")
    assert message.endswith(" more.")
