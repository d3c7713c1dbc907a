"""Properties of importing any file into any pool: a file either fails whole or every row ends
as exactly one outcome, and the pool gains exactly the users of the SUCCEEDED rows."""

from __future__ import annotations

import contextlib
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from support.profile import examples

from pytest_cognito_mock.backend import CognitoBackend, user_pools, users
from pytest_cognito_mock.backend.csv_import import CsvFileError, CsvImport, csv_header
from pytest_cognito_mock.backend.errors import ServiceError
from pytest_cognito_mock.backend.models import UserPool
from pytest_cognito_mock.backend.schema import AttributeRequest
from pytest_cognito_mock.backend.user_pools import PoolSettings

STATUSES = {"SUCCEEDED", "SKIPPED", "FAILED"}

SIGN_IN = [
    {},
    {"alias_attributes": ["email", "preferred_username"]},
    {"alias_attributes": ["phone_number"]},
    {"username_attributes": ["email"]},
    {"username_attributes": ["email", "phone_number"]},
]
AUTO_VERIFIED = [[], ["email"], ["phone_number"], ["email", "phone_number"]]
SEED_NAMES = ["alice", "Bob", "a@example.com", "+12065550100"]
SIGN_IN_NAMES = ["c@example.com", "a@example.com", "B@example.com", "b@example.com", "+12065550199"]

#: Values chosen to hit every rule, mixed with arbitrary text.
INTERESTING = [
    "",
    " ",
    "true",
    "TRUE",
    "False",
    "yes",
    "alice",
    "ALICE",
    "bob",
    "a@example.com",
    "A@EXAMPLE.COM",
    "b@example.com",
    "+12065550100",
    "+12065550199",
    "02/01/1985",
    "02/30/1985",
    "1471453471",
    "-1",
    '"quoted"',
    '"a,b"',
    "a\\,b",
    "\\",
    "\\\\",
    "x" * 2049,
    "ace",
    "with space",
    "tab\there",
    "é",
    "\r",
]
VALUES = st.one_of(st.sampled_from(INTERESTING), st.text(max_size=8))


def _pool(choice: dict[str, Any]) -> UserPool:
    schema = [
        AttributeRequest("tier"),
        AttributeRequest("seats", "Number", number_max="10"),
        AttributeRequest("secret", developer_only=True),
    ]
    if choice["required"]:
        schema.append(AttributeRequest("given_name", required=True))
    pool_settings = PoolSettings(
        auto_verified_attributes=choice["auto_verified"],
        case_sensitive=choice["case_sensitive"],
        mfa_configuration=choice["mfa"],
        **choice["sign_in"],
    )
    backend = CognitoBackend("123456789012")
    pool = user_pools.create_user_pool(backend, "us-east-1", "app", pool_settings, schema)
    for name in SEED_NAMES:
        # Some names are refused by some kinds of pool, or meet an alias already taken.
        with contextlib.suppress(ServiceError):
            users.admin_create_user(
                pool, name, [("email", "a@example.com"), ("email_verified", "true")]
            )
    return pool


POOLS = st.fixed_dictionaries(
    {
        "sign_in": st.sampled_from(SIGN_IN),
        "auto_verified": st.sampled_from(AUTO_VERIFIED),
        "case_sensitive": st.sampled_from([None, True, False]),
        "mfa": st.sampled_from(["OFF", "ON", "OPTIONAL"]),
        "required": st.booleans(),
    }
)


#: Plausible values per column: most rows built from these can succeed in some pool.
PLAUSIBLE = {
    "cognito:username": ["carol", "alice", "Alice", "bob", "a@example.com", "+12065550100"],
    "email": ["c@example.com", "", "a@example.com", "A@EXAMPLE.COM", "b@example.com"],
    "email_verified": ["true", "TRUE", "", "false"],
    "phone_number": ["+12065550199", "", "+12065550100"],
    "phone_number_verified": ["true", "", "False"],
    "preferred_username": ["", "ace", "deuce"],
    "given_name": ["", "Ann"],
    "cognito:mfa_enabled": ["", "true", "false"],
    "custom:seats": ["", "5", "", "11"],
    "birthdate": ["", "02/01/1985"],
}


@st.composite
def _rows(draw: st.DrawFn, header: list[str], sign_in_names: bool) -> str:
    kind = draw(st.sampled_from(["plausible"] * 5 + ["chaos", "ragged", "long"]))
    if kind == "ragged":
        return ",".join(draw(st.lists(VALUES, max_size=len(header) + 2)))
    values = {name: draw(st.sampled_from(PLAUSIBLE.get(name, [""]))) for name in header}
    if sign_in_names:
        # Pools whose usernames are emails/phone numbers: the username repeats the email.
        values["cognito:username"] = draw(st.sampled_from(SIGN_IN_NAMES))
        values["email"] = draw(st.sampled_from(["", values["cognito:username"]]))
    chaotic = header if kind == "chaos" else draw(st.lists(st.sampled_from(header), max_size=1))
    for name in chaotic:
        values[name] = draw(VALUES)
    line = ",".join(values[name] for name in header)
    if kind == "long":
        line = line.replace(",", " " * draw(st.integers(15_000, 16_100)) + ",", 1)
    return draw(st.sampled_from([line] * 8 + ["", " "]))


@st.composite
def _files(draw: st.DrawFn, expected: list[str], sign_in_names: bool = False) -> bytes:
    header = draw(st.permutations(expected))
    mutation = draw(st.sampled_from(["none"] * 9 + ["drop", "add", "repeat"]))
    if mutation == "drop":
        header = header[1:]
    elif mutation == "add":
        header = [*header, draw(st.sampled_from(["foo", "custom:nope", "", "Email"]))]
    elif mutation == "repeat":
        header = [*header, header[0]]
    rows = draw(st.lists(_rows(header, sign_in_names), max_size=8))
    ending = draw(st.sampled_from(["", "\n", "\r\n", "\n\n  \n"]))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    data = newline.join([",".join(header), *rows]) + ending
    prefix = draw(st.sampled_from([b""] * 10 + [b"\xef\xbb\xbf", b"\xff"]))
    return prefix + data.encode()


def _snapshot(pool: UserPool) -> tuple[object, ...]:
    return (
        {key: (id(user), dict(user.attributes), user.status) for key, user in pool.users.items()},
        dict(pool.users_by_sub),
        dict(pool.aliases),
    )


def _import_and_check(pool: UserPool, data: bytes, header: list[str]) -> None:
    try:
        job = CsvImport(data, header)
    except CsvFileError as error:
        assert 0 < len(error.message) <= 128
        return
    users_before = len(pool.users)
    succeeded = 0
    while True:
        before = _snapshot(pool)
        outcome = job.apply_next(pool)
        if outcome is None:
            break
        assert outcome.status in STATUSES
        assert outcome.message
        assert outcome.line == job.rows_done + 1
        assert outcome.log_line.startswith(f"[{outcome.status}] Line Number {outcome.line} - ")
        if outcome.status == "SUCCEEDED":
            succeeded += 1
            _check_one_new_user(pool, before)
        else:
            assert _snapshot(pool) == before
    assert job.rows_done == job.total_rows
    assert job.apply_next(pool) is None
    assert len(pool.users) - users_before == succeeded
    _check_indexes(pool)


def _check_one_new_user(pool: UserPool, before: tuple[object, ...]) -> None:
    old_users = before[0]
    assert isinstance(old_users, dict)
    new_keys = set(pool.users) - set(old_users)
    assert len(new_keys) == 1
    user = pool.users[new_keys.pop()]
    assert user.status == "RESET_REQUIRED"
    assert user.enabled
    assert not any(name.startswith("cognito:") for name in user.attributes)
    for flag in ("email_verified", "phone_number_verified"):
        assert user.attributes[flag] in ("true", "false")
    for key, (identity, attributes, status) in old_users.items():
        assert id(pool.users[key]) == identity
        assert (pool.users[key].attributes, pool.users[key].status) == (attributes, status)


def _check_indexes(pool: UserPool) -> None:
    assert len(pool.users_by_sub) == len(pool.users)
    for key, user in pool.users.items():
        assert pool.users_by_sub[user.sub] == key
        assert users.find_user(pool, user.username) is user
    for key in pool.aliases.values():
        assert key in pool.users


@settings(max_examples=examples(150), deadline=None)
@given(choice=POOLS, data=st.data())
def test_any_file_fails_whole_or_accounts_for_every_row(choice, data):
    pool = _pool(choice)
    header = csv_header(pool)
    file = data.draw(_files(header, "username_attributes" in choice["sign_in"]))
    _import_and_check(pool, file, header)


@settings(max_examples=examples(100), deadline=None)
@given(choice=POOLS, raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_raise_anything_but_a_file_error(choice, raw):
    pool = _pool(choice)
    header = csv_header(pool)
    _import_and_check(pool, raw, header)
    _import_and_check(pool, ",".join(header).encode() + b"\n" + raw, header)


@settings(max_examples=examples(60), deadline=None)
@given(choice=POOLS, data=st.data())
def test_importing_the_same_file_twice_adds_nobody_the_second_time(choice, data):
    pool = _pool(choice)
    header = csv_header(pool)
    file = data.draw(_files(header, "username_attributes" in choice["sign_in"]))
    _import_and_check(pool, file, header)
    count = len(pool.users)
    try:
        job = CsvImport(file, header)
    except CsvFileError:
        return
    # The pool only grew, and the rules that read it (existing user, taken alias) only get
    # stricter as it grows: every row is now SKIPPED or FAILED.
    while (outcome := job.apply_next(pool)) is not None:
        assert outcome.status in ("SKIPPED", "FAILED")
    assert len(pool.users) == count


@settings(max_examples=examples(100), deadline=None)
@given(
    kind=st.sampled_from(["plain", "email alias", "email username"]),
    case_sensitive=st.booleans(),
    rows=st.lists(
        st.tuples(st.sampled_from(["ann", "Ann", "bob"]), st.sampled_from(["a@x.io", "A@x.io"])),
        max_size=6,
    ),
)
def test_outcomes_of_valid_rows_follow_a_simple_model(kind, case_sensitive, rows):
    sign_in = {
        "plain": {},
        "email alias": {"alias_attributes": ["email"]},
        "email username": {"username_attributes": ["email"]},
    }[kind]
    choice = {
        "sign_in": sign_in,
        "auto_verified": ["email"],
        "case_sensitive": case_sensitive,
        "mfa": "OFF",
        "required": False,
    }
    pool = _pool(choice)
    pool.users.clear()
    pool.users_by_sub.clear()
    pool.aliases.clear()
    header = csv_header(pool)

    def key(value: str) -> str:
        return value if case_sensitive else value.lower()

    lines, expected = [",".join(header)], []
    usernames: set[str] = set()
    emails: set[str] = set()
    for username, email in rows:
        if kind == "email username":
            username = email
        values = {"cognito:username": username, "email": email, "email_verified": "true"}
        lines.append(",".join(values.get(name, "") for name in header))
        if key(username) in usernames:
            expected.append("SKIPPED")
        elif kind == "email alias" and key(email) in emails:
            expected.append("FAILED")
        else:
            expected.append("SUCCEEDED")
            usernames.add(key(username))
            emails.add(key(email))
    job = CsvImport("\n".join(lines).encode(), header)
    outcomes = [job.apply_next(pool) for _ in rows]
    assert [o.status for o in outcomes if o is not None] == expected
    assert len(pool.users) == expected.count("SUCCEEDED")
    for email in emails:
        assert users.find_user(pool, email) is not None or kind == "plain"
