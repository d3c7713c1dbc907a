"""Importing users from a CSV file: file-level failures, per-row rules, and the users made."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from pytest_cognito_mock.backend import CognitoBackend, csv_import, user_pools, users
from pytest_cognito_mock.backend.csv_import import (
    CsvFileError,
    CsvImport,
    RowOutcome,
    csv_header,
)
from pytest_cognito_mock.backend.models import UserPool
from pytest_cognito_mock.backend.schema import AttributeRequest
from pytest_cognito_mock.backend.user_pools import PoolSettings

NO_AUTO_VERIFIED = (
    "The User Record does not set any of the auto verified attributes to true. "
    "(Example: email_verified to true)."
)
SCHEMA = "The User Record does not conform to the schema: "


def _pool(schema: list[AttributeRequest] | None = None, **settings: object) -> UserPool:
    settings.setdefault("auto_verified_attributes", ["email"])
    backend = CognitoBackend("123456789012")
    return user_pools.create_user_pool(
        backend,
        "us-east-1",
        "app",
        PoolSettings(**settings),  # type: ignore[arg-type]
        schema or [],
    )


def _line(pool: UserPool, values: dict[str, str]) -> str:
    return ",".join(values.get(column, "") for column in csv_header(pool))


def _row(username: str, email: str = "", **values: str) -> dict[str, str]:
    """A row's values; keyword names use ``_`` for ``:`` (``cognito_mfa_enabled``)."""
    row = {name.replace("cognito_", "cognito:"): value for name, value in values.items()}
    row["cognito:username"] = username
    if email:
        row.setdefault("email", email)
        row.setdefault("email_verified", "true")
    return row


def _file(pool: UserPool, *rows: dict[str, str] | str) -> bytes:
    lines = [",".join(csv_header(pool))]
    lines += [row if isinstance(row, str) else _line(pool, row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _run(pool: UserPool, data: bytes) -> list[RowOutcome]:
    job = CsvImport(data, csv_header(pool))
    outcomes = []
    while (outcome := job.apply_next(pool)) is not None:
        outcomes.append(outcome)
    assert job.rows_done == job.total_rows == len(outcomes)
    return outcomes


def _one(pool: UserPool, row: dict[str, str] | str) -> tuple[str, str]:
    (outcome,) = _run(pool, _file(pool, row))
    return outcome.status, outcome.message


def _failure(pool: UserPool, row: dict[str, str] | str) -> str:
    before = len(pool.users)
    status, message = _one(pool, row)
    assert status == "FAILED"
    assert len(pool.users) == before
    return message


# -- the file as a whole -----------------------------------------------------------------------


@pytest.mark.parametrize("mark", [b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])
def test_a_byte_order_mark_fails_the_file(mark):
    pool = _pool()
    with pytest.raises(CsvFileError) as raised:
        CsvImport(mark + _file(pool), csv_header(pool))
    assert raised.value.message == "The CSV file must not start with a byte order mark."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The CSV file is empty."),
        (b" \r\n\n", "The CSV file is empty."),
        (b"name,\xff\xfe", "The CSV file is not valid UTF-8."),
        ("é".encode("latin-1"), "The CSV file is not valid UTF-8."),
    ],
)
def test_unreadable_files_fail(data, message):
    with pytest.raises(CsvFileError) as raised:
        CsvImport(data, csv_header(_pool()))
    assert raised.value.message == message


def test_a_file_over_100_mb_fails(monkeypatch):
    pool = _pool()
    data = _file(pool, _row("alice", "a@example.com"))
    monkeypatch.setattr(csv_import, "MAX_FILE_BYTES", len(data) - 1)
    with pytest.raises(CsvFileError) as raised:
        CsvImport(data, csv_header(pool))
    assert raised.value.message == "The CSV file is larger than 100 MB."


def test_at_most_500000_rows():
    pool = _pool()
    header = ",".join(csv_header(pool)).encode() + b"\n"
    assert CsvImport(header + b"x\n" * 500_000, csv_header(pool)).total_rows == 500_000
    with pytest.raises(CsvFileError) as raised:
        CsvImport(header + b"x\n" * 500_001, csv_header(pool))
    assert raised.value.message == "The CSV file has more than 500,000 users."


def test_trailing_blank_lines_are_not_rows_but_blank_lines_between_rows_are():
    pool = _pool()
    data = _file(pool, _row("alice", "a@example.com"), "", "  ", _row("bob", "b@example.com"))
    outcomes = _run(pool, data + b"\r\n  \n\n")
    assert [(o.line, o.status, o.message) for o in outcomes] == [
        (2, "SUCCEEDED", "The import succeeded."),
        (3, "FAILED", "The row is empty."),
        (4, "FAILED", "The row is empty."),
        (5, "SUCCEEDED", "The import succeeded."),
    ]


def test_a_long_blank_tail_is_ignored():
    pool = _pool()
    data = _file(pool, _row("alice", "a@example.com")) + b" \r\n" * 5000 + b"\t"
    assert [o.line for o in _run(pool, data)] == [2]


def test_crlf_line_endings_and_a_missing_final_newline():
    pool = _pool()
    data = _file(pool, _row("alice", "a@example.com"), _row("bob", "b@example.com"))
    outcomes = _run(pool, data.replace(b"\n", b"\r\n").rstrip())
    assert [o.status for o in outcomes] == ["SUCCEEDED", "SUCCEEDED"]
    assert pool.users["alice"].attributes["email_verified"] == "true"


def test_log_lines_number_rows_from_line_2():
    outcome = RowOutcome(5956, "SKIPPED", "The user already exists.")
    assert outcome.log_line == "[SKIPPED] Line Number 5956 - The user already exists."


# -- the users a file makes --------------------------------------------------------------------


def test_an_imported_user_is_reset_required_with_only_its_non_empty_attributes():
    pool = _pool()
    with freeze_time("2024-05-01 12:00:00"):
        assert _one(pool, _row("alice", "a@example.com", given_name="Alice")) == (
            "SUCCEEDED",
            "The import succeeded.",
        )
    user = pool.users["alice"]
    assert (user.status, user.enabled, user.password) == ("RESET_REQUIRED", True, None)
    assert user.created == user.modified == 1714564800.0
    assert user.attributes == {
        "sub": user.sub,
        "given_name": "Alice",
        "email": "a@example.com",
        "email_verified": "true",
        "phone_number_verified": "false",
    }
    assert pool.users_by_sub[user.sub] == "alice"
    assert users.find_user(pool, user.sub) is user


def test_every_user_gets_a_fresh_sub():
    pool = _pool()
    _run(pool, _file(pool, _row("a", "a@example.com"), _row("b", "b@example.com")))
    assert len({u.sub for u in pool.users.values()}) == 2


def test_booleans_are_case_insensitive_and_stored_lowercase():
    pool = _pool(auto_verified_attributes=["email", "phone_number"])
    row = _row(
        "alice",
        "a@example.com",
        email_verified="TRUE",
        phone_number="+12065550100",
        phone_number_verified="False",
    )
    assert _one(pool, row)[0] == "SUCCEEDED"
    attributes = pool.users["alice"].attributes
    assert (attributes["email_verified"], attributes["phone_number_verified"]) == ("true", "false")


def test_values_are_trimmed():
    pool = _pool()
    assert _one(pool, _row("  alice\t", " a@example.com ", email_verified=" true "))[0] == (
        "SUCCEEDED"
    )
    assert pool.users["alice"].attributes["email"] == "a@example.com"


def test_backslash_comma_is_a_comma_and_other_backslashes_and_quotes_are_literal():
    pool = _pool()
    row = _row(
        "alice",
        "a@example.com",
        address=r"1 Main St\, Apt 2",
        name='"Ann"',
        nickname=r"back\\slash",
        locale="\\x",
    )
    assert _one(pool, row)[0] == "SUCCEEDED"
    attributes = pool.users["alice"].attributes
    assert attributes["address"] == "1 Main St, Apt 2"
    assert attributes["name"] == '"Ann"'
    assert attributes["nickname"] == "back\\\\slash"
    assert attributes["locale"] == "\\x"


def test_a_value_ending_in_a_backslash_escapes_the_comma_after_it():
    pool = _pool()
    assert _failure(pool, _row("alice", "a@example.com", nickname="ends\\")) == (
        "The number of values in the row (20) does not match the number of columns in the "
        "header (21)."
    )


def test_quotes_do_not_protect_a_comma():
    pool = _pool()
    assert _failure(pool, _row("alice", "a@example.com", address='"1 Main St, Apt 2"')) == (
        "The number of values in the row (22) does not match the number of columns in the "
        "header (21)."
    )


def test_birthdate_and_updated_at_are_stored_as_given():
    pool = _pool()
    row = _row("alice", "a@example.com", birthdate="02/01/1985", updated_at="1471453471")
    assert _one(pool, row)[0] == "SUCCEEDED"
    attributes = pool.users["alice"].attributes
    assert (attributes["birthdate"], attributes["updated_at"]) == ("02/01/1985", "1471453471")


def test_custom_and_developer_only_attributes_are_stored_under_their_schema_names():
    pool = _pool(
        [
            AttributeRequest("tier"),
            AttributeRequest("seats", "Number", number_max="10"),
            AttributeRequest("secret", developer_only=True),
        ]
    )
    row = _row(
        "alice", "a@example.com", **{"custom:tier": "gold", "dev:custom:secret": "s", "x": "y"}
    )
    assert _one(pool, row)[0] == "SUCCEEDED"
    attributes = pool.users["alice"].attributes
    assert attributes["custom:tier"] == "gold"
    assert attributes["dev:custom:secret"] == "s"
    assert "custom:seats" not in attributes
    assert _failure(pool, _row("bob", "b@example.com", **{"custom:seats": "11"})) == (
        SCHEMA + "custom:seats: Number must be no greater than 10."
    )


def test_counters_add_up_and_the_pool_holds_exactly_the_succeeded_users():
    pool = _pool()
    users.admin_create_user(pool, "existing", [])
    rows = [
        _row("alice", "a@example.com"),
        _row("existing", "e@example.com"),
        _row("carol"),
        _row("dave", "d@example.com"),
        "too,few",
    ]
    outcomes = _run(pool, _file(pool, *rows))
    statuses = [o.status for o in outcomes]
    assert statuses == ["SUCCEEDED", "SKIPPED", "FAILED", "SUCCEEDED", "FAILED"]
    assert set(pool.users) == {"existing", "alice", "dave"}


def test_a_custom_attribute_added_during_the_job_does_not_disturb_it():
    pool = _pool()
    job = CsvImport(
        _file(pool, _row("alice", "a@example.com"), _row("bob", "b@example.com")),
        csv_header(pool),
    )
    assert job.apply_next(pool) == RowOutcome(2, "SUCCEEDED", "The import succeeded.")
    user_pools.add_custom_attributes(pool, [AttributeRequest("tier")])
    assert job.apply_next(pool) == RowOutcome(3, "SUCCEEDED", "The import succeeded.")
    assert job.apply_next(pool) is None


# -- row rules ---------------------------------------------------------------------------------


def test_a_row_of_16000_characters_is_read_and_a_longer_one_fails():
    pool = _pool()
    line = _line(pool, _row("alice", "a@example.com"))
    padded = line.replace("@example.com,", "@example.com" + " " * (16_000 - len(line)) + ",", 1)
    assert len(padded) == 16_000
    assert _one(pool, padded) == ("SUCCEEDED", "The import succeeded.")
    longer = _line(pool, _row("bob", "b@example.com")).replace(",", " " * 16_000 + ",", 1)
    assert _failure(pool, longer) == "The row is longer than 16,000 characters."


def test_a_row_with_too_many_or_too_few_values_fails():
    pool = _pool()
    assert _failure(pool, _line(pool, _row("alice", "a@example.com")) + ",") == (
        "The number of values in the row (22) does not match the number of columns in the "
        "header (21)."
    )
    assert _failure(pool, "alice") == (
        "The number of values in the row (1) does not match the number of columns in the "
        "header (21)."
    )


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "The User Record does not set cognito:username."),
        ("al ice", "The User Record's cognito:username must not contain spaces or tabs."),
        ("al\tice", "The User Record's cognito:username must not contain spaces or tabs."),
        ("a" * 129, "The User Record's cognito:username must be no longer than 128 characters."),
    ],
)
def test_username_rules(username, message):
    assert _failure(_pool(), _row(username, "a@example.com")) == message


def test_a_username_may_be_any_unicode_string_up_to_128_characters():
    pool = _pool()
    assert _one(pool, _row("ü" * 128, "a@example.com"))[0] == "SUCCEEDED"
    assert _one(pool, _row("名前+=\\,.@-", "b@example.com"))[0] == "SUCCEEDED"
    assert "名前+=,.@-" in pool.users


def test_an_existing_user_is_skipped_and_left_as_it_was():
    pool = _pool()
    existing = users.admin_create_user(pool, "alice", [])
    assert _one(pool, _row("alice", "other@example.com", name="x" * 5000)) == (
        "SKIPPED",
        "The user already exists.",
    )
    assert pool.users["alice"] is existing
    assert existing.attributes == {"sub": existing.sub}


def test_a_username_repeated_in_the_file_meets_the_user_the_first_row_made():
    pool = _pool()
    rows = [
        _row("alice", "a@example.com"),
        _row("alice", "a2@example.com"),
        _row("bob"),  # fails: nothing verified
        _row("bob", "b@example.com"),
    ]
    outcomes = _run(pool, _file(pool, *rows))
    assert [o.status for o in outcomes] == ["SUCCEEDED", "SKIPPED", "FAILED", "SUCCEEDED"]
    assert outcomes[1].message == "The user already exists."
    assert pool.users["alice"].attributes["email"] == "a@example.com"


def test_usernames_differing_in_case_are_one_user_in_a_case_insensitive_pool():
    pool = _pool(case_sensitive=False)
    users.admin_create_user(pool, "Alice", [])
    assert _one(pool, _row("ALICE", "a@example.com")) == ("SKIPPED", "The user already exists.")
    outcomes = _run(pool, _file(pool, _row("Bob", "b@example.com"), _row("bob", "c@example.com")))
    assert [o.status for o in outcomes] == ["SUCCEEDED", "SKIPPED"]
    assert users.find_user(pool, "BOB") is pool.users["bob"]
    assert pool.users["bob"].username == "Bob"


def test_usernames_differing_in_case_are_two_users_in_a_case_sensitive_pool():
    pool = _pool(case_sensitive=True)
    outcomes = _run(pool, _file(pool, _row("Bob", "b@example.com"), _row("bob", "c@example.com")))
    assert [o.status for o in outcomes] == ["SUCCEEDED", "SUCCEEDED"]


@pytest.mark.parametrize(
    ("auto_verified", "values"),
    [
        (["email"], {"email": "a@example.com", "email_verified": "false"}),
        (["email"], {"email": "a@example.com"}),
        (["email"], {"phone_number": "+12065550100", "phone_number_verified": "true"}),
        (["phone_number"], {"email": "a@example.com", "email_verified": "true"}),
        ([], {"email": "a@example.com", "email_verified": "true"}),
    ],
)
def test_one_auto_verified_attribute_must_be_true(auto_verified, values):
    pool = _pool(auto_verified_attributes=auto_verified)
    assert _failure(pool, {"cognito:username": "alice", **values}) == NO_AUTO_VERIFIED


def test_either_auto_verified_attribute_may_be_the_true_one():
    pool = _pool(auto_verified_attributes=["email", "phone_number"])
    row = _row("alice", phone_number="+12065550100", phone_number_verified="true")
    assert _one(pool, row)[0] == "SUCCEEDED"
    assert pool.users["alice"].attributes["email_verified"] == "false"


def test_a_verified_flag_needs_its_value():
    pool = _pool(auto_verified_attributes=["email", "phone_number"])
    assert _failure(pool, _row("alice", email_verified="true")) == (
        "The User Record sets email_verified to true but has no email."
    )
    row = _row("alice", "a@example.com", phone_number_verified="TRUE")
    assert _failure(pool, row) == (
        "The User Record sets phone_number_verified to true but has no phone_number."
    )


def test_required_attributes_must_be_set():
    pool = _pool(
        [
            AttributeRequest("given_name", required=True),
            AttributeRequest("family_name", required=True),
        ]
    )
    assert _failure(pool, _row("alice", "a@example.com", given_name="  ")) == (
        "The User Record does not set the required attribute(s): given_name, family_name."
    )
    row = _row("alice", "a@example.com", given_name="A", family_name="B")
    assert _one(pool, row)[0] == "SUCCEEDED"


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"email": "not-an-email"}, "email: Invalid email address format"),
        ({"phone_number": "2065550100"}, "phone_number: Invalid phone number format"),
        ({"email_verified": "yes"}, "email_verified: Boolean must be true or false"),
        ({"phone_number_verified": "1"}, "phone_number_verified: Boolean must be true or false"),
        ({"cognito:mfa_enabled": "maybe"}, "cognito:mfa_enabled: Boolean must be true or false"),
        (
            {"birthdate": "1985-02-01"},
            "birthdate: Date must be a real date in the format mm/dd/yyyy",
        ),
        ({"birthdate": "2/1/1985"}, "birthdate: Date must be a real date in the format mm/dd/yyyy"),
        (
            {"birthdate": "02/30/1985"},
            "birthdate: Date must be a real date in the format mm/dd/yyyy",
        ),
        (
            {"birthdate": "13/01/1985"},
            "birthdate: Date must be a real date in the format mm/dd/yyyy",
        ),
        ({"updated_at": "abc"}, "updated_at: Number must be epoch time in whole seconds"),
        ({"updated_at": "1.5"}, "updated_at: Number must be epoch time in whole seconds"),
        ({"updated_at": "-1"}, "updated_at: Number must be epoch time in whole seconds"),
        ({"name": "x" * 2049}, "name: String must be no longer than 2048 characters"),
    ],
)
def test_values_must_fit_the_schema(values, problem):
    pool = _pool(auto_verified_attributes=["email", "phone_number"])
    values = {"email": "a@example.com", "email_verified": "true", **values}
    row = {"cognito:username": "alice", **values}
    assert _failure(pool, row) == SCHEMA + problem + "."


def test_every_schema_problem_is_listed_in_header_order_without_values():
    pool = _pool()
    row = _row("alice", "secret-not-an-email", name="y" * 3000, updated_at="x")
    message = _failure(pool, row)
    assert message == (
        SCHEMA + "name: String must be no longer than 2048 characters; "
        "email: Invalid email address format; "
        "updated_at: Number must be epoch time in whole seconds."
    )
    assert "secret" not in message


@pytest.mark.parametrize(
    ("mfa_configuration", "flag", "message"),
    [
        ("ON", "true", None),
        ("ON", "", None),
        (
            "ON",
            "FALSE",
            "The User Record sets cognito:mfa_enabled to false, but MFA is required in this "
            "user pool.",
        ),
        ("OFF", "false", None),
        ("OFF", "", None),
        (
            "OFF",
            "True",
            "The User Record sets cognito:mfa_enabled to true, but MFA is off in this user pool.",
        ),
        ("OPTIONAL", "true", None),
        ("OPTIONAL", "false", None),
        ("OPTIONAL", "", None),
    ],
)
def test_the_mfa_flag_must_agree_with_the_pool(mfa_configuration, flag, message):
    pool = _pool(mfa_configuration=mfa_configuration)
    status, text = _one(pool, _row("alice", "a@example.com", cognito_mfa_enabled=flag))
    if message is None:
        assert (status, text) == ("SUCCEEDED", "The import succeeded.")
        assert "cognito:mfa_enabled" not in pool.users["alice"].attributes
    else:
        assert (status, text) == ("FAILED", message)


# -- sign-in aliases and sign-in names ---------------------------------------------------------


def test_imported_users_sign_in_with_their_verified_aliases():
    pool = _pool(alias_attributes=["email", "preferred_username"], case_sensitive=False)
    assert _one(pool, _row("alice", "A@Example.com", preferred_username="ace"))[0] == "SUCCEEDED"
    alice = pool.users["alice"]
    assert users.find_user(pool, "a@example.com") is alice
    assert users.find_user(pool, "ACE") is alice
    assert users.find_user(pool, alice.sub) is alice
    assert pool.aliases == {
        ("email", "a@example.com"): "alice",
        ("preferred_username", "ace"): "alice",
    }


def test_a_taken_alias_fails_the_row():
    pool = _pool(alias_attributes=["email", "preferred_username"], case_sensitive=False)
    users.admin_create_user(pool, "first", [("email", "a@example.com"), ("email_verified", "true")])
    assert _failure(pool, _row("second", "A@EXAMPLE.COM")) == (
        "An account with the given email already exists."
    )
    rows = [
        _row("third", "c@example.com", preferred_username="ace"),
        _row("fourth", "d@example.com", preferred_username="ace"),
    ]
    outcomes = _run(pool, _file(pool, *rows))
    assert [(o.status, o.message) for o in outcomes] == [
        ("SUCCEEDED", "The import succeeded."),
        ("FAILED", "An account with the given preferred_username already exists."),
    ]


def test_an_unverified_email_is_no_alias_and_may_repeat():
    pool = _pool(alias_attributes=["email"], auto_verified_attributes=["email", "phone_number"])
    users.admin_create_user(pool, "first", [("email", "a@example.com"), ("email_verified", "true")])
    row = _row(
        "second",
        "a@example.com",
        email_verified="false",
        phone_number="+12065550100",
        phone_number_verified="true",
    )
    assert _one(pool, row)[0] == "SUCCEEDED"
    assert users.find_user(pool, "a@example.com") is pool.users["first"]


@pytest.mark.parametrize(
    ("username", "message"),
    [
        (
            "bob@example.com",
            "Username cannot be of email format, since user pool is configured for email alias.",
        ),
        (
            "+12065550100",
            "Username cannot be of phone number format, since user pool is configured for "
            "phone number alias.",
        ),
    ],
)
def test_alias_pools_refuse_usernames_that_look_like_an_alias(username, message):
    pool = _pool(alias_attributes=["email", "phone_number"])
    assert _failure(pool, _row(username, "b@example.com")) == message


def test_in_an_email_username_pool_the_username_is_the_email_and_the_sub_the_username():
    pool = _pool(username_attributes=["email"], case_sensitive=False)
    rows = [
        _row("Ann@Example.com", email_verified="true"),
        _row("bob@example.com", "bob@example.com"),
    ]
    outcomes = _run(pool, _file(pool, *rows))
    assert [o.status for o in outcomes] == ["SUCCEEDED", "SUCCEEDED"]
    ann = users.find_user(pool, "ann@example.com")
    assert ann is not None
    assert ann.username == ann.sub
    assert ann.attributes["email"] == "Ann@Example.com"
    assert pool.aliases[("email", "ann@example.com")] == ann.sub


def test_in_an_email_username_pool_an_existing_email_is_an_existing_user():
    pool = _pool(username_attributes=["email"], case_sensitive=False)
    users.admin_create_user(pool, "ann@example.com", [])
    assert _one(pool, _row("ANN@example.com", email_verified="true")) == (
        "SKIPPED",
        "The user already exists.",
    )


def test_in_an_email_username_pool_the_username_must_be_the_email():
    pool = _pool(username_attributes=["email"])
    assert _failure(pool, _row("ann", "ann@example.com")) == (
        "Username should be either an email or a phone number."
    )
    assert _failure(pool, _row("ann@example.com", "other@example.com")) == (
        "The User Record's email must equal its cognito:username in this user pool."
    )


def test_in_a_username_pool_the_other_sign_in_attribute_must_be_free():
    pool = _pool(
        username_attributes=["email", "phone_number"],
        auto_verified_attributes=["email", "phone_number"],
    )
    users.admin_create_user(pool, "+12065550100", [])
    row = _row("+12065550199", phone_number_verified="true", email="taken@example.com")
    assert _one(pool, row)[0] == "SUCCEEDED"
    row = _row("new@example.com", "new@example.com", phone_number="+12065550100")
    assert _failure(pool, row) == "An account with the given phone_number already exists."


def test_a_column_the_pool_does_not_know_fails_only_rows_that_fill_it():
    # The job's header is fixed when it is created; a pool can only gain attributes, but the
    # rows still hold up if a column has no definition.
    pool = _pool()
    header = [*csv_header(pool), "custom:ghost"]
    lines = [",".join(header)]
    for username, ghost in (("alice", ""), ("bob", "boo")):
        values = _row(username, f"{username}@example.com", **{"custom:ghost": ghost})
        lines.append(",".join(values.get(column, "") for column in header))
    job = CsvImport("\n".join(lines).encode(), header)
    assert job.apply_next(pool) == RowOutcome(2, "SUCCEEDED", "The import succeeded.")
    assert job.apply_next(pool) == RowOutcome(
        3, "FAILED", SCHEMA + "custom:ghost: Attribute does not exist in the schema."
    )
