"""Model-driven request validation: AWS's exact messages for each kind of constraint."""

from __future__ import annotations

import subprocess
import sys
import unicodedata

import botocore.session
import pytest
from support.model import pattern

from pytest_cognito_mock import _validation
from pytest_cognito_mock._java_regex import compile_java
from pytest_cognito_mock._validation import validate_request
from pytest_cognito_mock.backend.errors import InvalidParameterException, SerializationException

POOL_ID = "us-east-1_EXAMPLE1"
CLIENT_ID = "1example23456789abcdefghij"
PREFIX = "failed to satisfy constraint:"


def enum_text(shape_name: str) -> str:
    values = botocore.session.get_session().get_service_model("cognito-idp").shape_for(shape_name)
    return "Member must satisfy enum value set: [" + ", ".join(values.enum) + "]"


def refusal(operation: str, params: dict) -> str:
    with pytest.raises(InvalidParameterException) as raised:
        validate_request(operation, params)
    return raised.value.message


def one(violation: str) -> str:
    return f"1 validation error detected: {violation}"


# -- one message per kind of constraint -------------------------------------------------------


def test_a_value_above_the_maximum():
    assert refusal("ListUserPools", {"MaxResults": 61}) == one(
        f"Value '61' at 'maxResults' {PREFIX} Member must have value less than or equal to 60"
    )


def test_a_value_below_the_minimum():
    assert refusal("ListUserPools", {"MaxResults": 0}) == one(
        f"Value '0' at 'maxResults' {PREFIX} Member must have value greater than or equal to 1"
    )


def test_a_string_longer_than_the_maximum():
    pool_id = "us-east-1_" + "a" * 46
    assert refusal("DescribeUserPoolClient", {"UserPoolId": pool_id, "ClientId": CLIENT_ID}) == one(
        f"Value '{pool_id}' at 'userPoolId' {PREFIX} "
        "Member must have length less than or equal to 55"
    )


def test_a_string_shorter_than_the_minimum_in_a_nested_structure():
    params = {
        "PoolName": "app",
        "AdminCreateUserConfig": {"InviteMessageTemplate": {"EmailMessage": "hi"}},
    }
    assert refusal("CreateUserPool", params) == one(
        f"Value 'hi' at 'adminCreateUserConfig.inviteMessageTemplate.emailMessage' {PREFIX} "
        "Member must have length greater than or equal to 6"
    )


def test_a_string_outside_the_pattern():
    params = {"UserPoolId": "no underscore", "ClientId": CLIENT_ID}
    assert refusal("DescribeUserPoolClient", params) == one(
        f"Value 'no underscore' at 'userPoolId' {PREFIX} "
        r"Member must satisfy regular expression pattern: [\w-]+_[0-9a-zA-Z]+"
    )


def test_a_value_outside_the_enum():
    assert refusal("CreateUserPool", {"PoolName": "app", "MfaConfiguration": "SOMETIMES"}) == one(
        f"Value 'SOMETIMES' at 'mfaConfiguration' {PREFIX} "
        "Member must satisfy enum value set: [OFF, ON, OPTIONAL]"
    )


def test_a_list_element_outside_the_enum_is_reported_at_the_list():
    params = {
        "UserPoolId": POOL_ID,
        "ClientName": "web",
        "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH", "ADMIN_USER_PASSWORD_AUTH"],
    }
    assert refusal("CreateUserPoolClient", params) == one(
        f"Value '[ALLOW_USER_SRP_AUTH, ADMIN_USER_PASSWORD_AUTH]' at 'explicitAuthFlows' {PREFIX} "
        f"Member must satisfy constraint: [{enum_text('ExplicitAuthFlowsType')}]"
    )


def test_a_list_element_bracket_lists_every_constraint_of_the_element():
    params = {"UserPoolId": POOL_ID, "ClientName": "web", "CallbackURLs": ["https://ok", ""]}
    assert refusal("CreateUserPoolClient", params) == one(
        f"Value '[https://ok, ]' at 'callbackURLs' {PREFIX} Member must satisfy constraint: ["
        "Member must have length less than or equal to 1024, "
        "Member must have length greater than or equal to 1, "
        r"Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+]"
    )


def test_a_list_longer_than_the_maximum():
    params = {"UserPoolId": POOL_ID, "ClientName": "web", "AllowedOAuthFlows": ["code"] * 4}
    assert refusal("CreateUserPoolClient", params) == one(
        f"Value '[code, code, code, code]' at 'allowedOAuthFlows' {PREFIX} "
        "Member must have length less than or equal to 3"
    )


def test_a_list_shorter_than_the_minimum():
    assert refusal("AddCustomAttributes", {"UserPoolId": POOL_ID, "CustomAttributes": []}) == one(
        f"Value '[]' at 'customAttributes' {PREFIX} "
        "Member must have length greater than or equal to 1"
    )


def test_a_missing_required_member():
    assert refusal("DescribeUserPoolClient", {"ClientId": CLIENT_ID}) == one(
        f"Value null at 'userPoolId' {PREFIX} Member must not be null"
    )


def test_json_null_is_a_missing_member():
    assert refusal("DescribeUserPoolClient", {"UserPoolId": None, "ClientId": CLIENT_ID}) == one(
        f"Value null at 'userPoolId' {PREFIX} Member must not be null"
    )


def test_a_nested_structure_member_path_is_dotted():
    params = {"UserPoolId": POOL_ID, "ClientName": "web", "TokenValidityUnits": {"IdToken": "x"}}
    assert refusal("CreateUserPoolClient", params) == one(
        f"Value 'x' at 'tokenValidityUnits.idToken' {PREFIX} "
        "Member must satisfy enum value set: [seconds, minutes, hours, days]"
    )


def test_list_of_structures_paths_use_one_based_member_indexes():
    params = {
        "UserPoolId": POOL_ID,
        "Username": "alice",
        "UserAttributes": [{"Name": "email", "Value": "a@example.com"}, {"Value": "x"}],
    }
    assert refusal("AdminCreateUser", params) == one(
        f"Value null at 'userAttributes.2.member.name' {PREFIX} Member must not be null"
    )


def test_sensitive_values_are_not_echoed():
    params = {"UserPoolId": POOL_ID, "Username": "alice", "Password": "has space"}
    assert refusal("AdminSetUserPassword", params) == one(
        rf"Value at 'password' {PREFIX} Member must satisfy regular expression pattern: [\S]+"
    )


def test_several_violations_are_counted_and_joined_in_member_order():
    message = refusal("InitiateAuth", {"ClientId": "", "AuthFlow": "PASSWORD"})
    assert message == (
        "3 validation errors detected: "
        f"Value 'PASSWORD' at 'authFlow' {PREFIX} {enum_text('AuthFlowType')}; "
        f"Value at 'clientId' {PREFIX} Member must have length greater than or equal to 1; "
        rf"Value at 'clientId' {PREFIX} Member must satisfy regular expression pattern: [\w+]+"
    )


def test_an_empty_required_string_breaks_length_and_pattern_like_aws():
    params = {"UserPoolId": POOL_ID, "Username": "alice", "UserAttributes": [{"Name": ""}]}
    assert refusal("AdminUpdateUserAttributes", params) == (
        "2 validation errors detected: "
        f"Value '' at 'userAttributes.1.member.name' {PREFIX} "
        "Member must have length greater than or equal to 1; "
        f"Value '' at 'userAttributes.1.member.name' {PREFIX} "
        # The installed model's: [\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r ]+ now, without \t\n\r and space
        # in older models (botocore 1.40).
        f"Member must satisfy regular expression pattern: {pattern('AttributeNameType')}"
    )


# -- maps ---------------------------------------------------------------------------------------


def test_map_keys_breaking_their_constraints():
    params = {"PoolName": "app", "UserPoolTags": {"team": "a", "": "b"}}
    assert refusal("CreateUserPool", params) == one(
        f"Value '{{team=a, =b}}' at 'userPoolTags' {PREFIX} Map keys must satisfy constraint: ["
        "Member must have length less than or equal to 128, "
        "Member must have length greater than or equal to 1]"
    )


def test_map_values_breaking_their_constraints():
    long_value = "v" * 257
    params = {"PoolName": "app", "UserPoolTags": {"team": long_value}}
    assert refusal("CreateUserPool", params) == one(
        f"Value '{{team={long_value}}}' at 'userPoolTags' {PREFIX} "
        "Map value must satisfy constraint: ["
        "Member must have length less than or equal to 256, "
        "Member must have length greater than or equal to 0]"
    )


def test_a_sensitive_map_is_not_echoed():
    params = {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": CLIENT_ID,
        "AuthParameters": {"USERNAME": "u" * 131073},
    }
    assert refusal("InitiateAuth", params) == one(
        f"Value at 'authParameters' {PREFIX} Map value must satisfy constraint: ["
        "Member must have length less than or equal to 131072, "
        "Member must have length greater than or equal to 0]"
    )


# -- what passes --------------------------------------------------------------------------------


def test_a_valid_request_passes_and_unknown_members_are_ignored():
    params = {"UserPoolId": POOL_ID, "ClientId": CLIENT_ID, "NotInTheModel": [1, {"x": None}]}
    validate_request("DescribeUserPoolClient", params)


def test_an_operation_the_model_does_not_define_is_not_checked():
    validate_request("NoSuchOperation", {"anything": object()})


def test_unicode_letters_marks_symbols_and_emoji_satisfy_the_username_pattern():
    validate_request("AdminGetUser", {"UserPoolId": POOL_ID, "Username": "zoë_日本+😀"})
    message = refusal("AdminGetUser", {"UserPoolId": POOL_ID, "Username": "two words"})
    assert message == one(
        f"Value at 'username' {PREFIX} "
        r"Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+"
    )


# -- wrong JSON types -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("operation", "params", "message"),
    [
        ("ListUserPools", {"MaxResults": "6"}, "at 'maxResults': expected integer, got string"),
        ("ListUserPools", {"MaxResults": True}, "at 'maxResults': expected integer, got boolean"),
        ("ListUserPools", {"MaxResults": 6.5}, "at 'maxResults': expected integer, got number"),
        (
            "DescribeUserPoolClient",
            {"UserPoolId": 5, "ClientId": CLIENT_ID},
            "at 'userPoolId': expected string, got integer",
        ),
        (
            "DescribeUserPoolClient",
            {"UserPoolId": {"a": 1}, "ClientId": CLIENT_ID},
            "at 'userPoolId': expected string, got object",
        ),
        (
            "CreateUserPoolClient",
            {"UserPoolId": POOL_ID, "ClientName": "web", "ExplicitAuthFlows": "ALLOW_USER_AUTH"},
            "at 'explicitAuthFlows': expected list, got string",
        ),
        (
            "CreateUserPoolClient",
            {"UserPoolId": POOL_ID, "ClientName": "web", "ExplicitAuthFlows": [7]},
            "at 'explicitAuthFlows.1.member': expected string, got integer",
        ),
        (
            "CreateUserPoolClient",
            {"UserPoolId": POOL_ID, "ClientName": "web", "GenerateSecret": "true"},
            "at 'generateSecret': expected boolean, got string",
        ),
        (
            "CreateUserPoolClient",
            {"UserPoolId": POOL_ID, "ClientName": "web", "TokenValidityUnits": ["days"]},
            "at 'tokenValidityUnits': expected object, got list",
        ),
        (
            "AdminCreateUser",
            {"UserPoolId": POOL_ID, "Username": "a", "UserAttributes": [{"Name": ["email"]}]},
            "at 'userAttributes.1.member.name': expected string, got list",
        ),
        (
            "InitiateAuth",
            {"AuthFlow": "USER_AUTH", "ClientId": CLIENT_ID, "ClientMetadata": {"k": 1}},
            "at 'clientMetadata.k': expected string, got integer",
        ),
    ],
)
def test_a_wrong_json_type_is_a_serialization_exception(operation, params, message):
    with pytest.raises(SerializationException) as raised:
        validate_request(operation, params)
    assert raised.value.message == f"Unexpected JSON type {message}"


def test_a_type_error_wins_over_constraint_violations():
    with pytest.raises(SerializationException):
        validate_request("DescribeUserPoolClient", {"UserPoolId": "bad id", "ClientId": 1})


def test_timestamps_accept_numbers_only():
    check = _validation._check_for("DateType", redacted=False)
    check(1700000000, "", "date", [])
    check(1700000000.5, "", "date", [])
    with pytest.raises(SerializationException) as raised:
        check("2024-01-01", "", "date", [])
    assert raised.value.message == "Unexpected JSON type at 'date': expected number, got string"


def test_null_list_elements_and_map_values_must_not_be_null():
    params = {
        "UserPoolId": POOL_ID,
        "ClientName": "web",
        "ExplicitAuthFlows": ["ALLOW_USER_AUTH", None],
    }
    assert refusal("CreateUserPoolClient", params) == one(
        f"Value null at 'explicitAuthFlows.2.member' {PREFIX} Member must not be null"
    )
    params = {"AuthFlow": "USER_AUTH", "ClientId": CLIENT_ID, "ClientMetadata": {"k": None}}
    assert refusal("InitiateAuth", params) == one(
        f"Value null at 'clientMetadata.k' {PREFIX} Member must not be null"
    )


# -- through boto3 ----------------------------------------------------------------------------


def test_boto3_gets_the_modelled_exception_for_a_range_violation(cognito_idp, cognito_mock):
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.list_user_pools(MaxResults=61)
    assert raised.value.response["Error"]["Message"] == (
        "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 60"
    )
    assert cognito_mock.calls[-1].error_code == "InvalidParameterException"


def test_boto3_gets_the_enum_list_message_and_nothing_is_created(cognito_idp):
    pool_id = cognito_idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
    with pytest.raises(cognito_idp.exceptions.InvalidParameterException) as raised:
        cognito_idp.create_user_pool_client(
            UserPoolId=pool_id, ClientName="web", ExplicitAuthFlows=["BOGUS"]
        )
    assert raised.value.response["Error"]["Message"] == one(
        f"Value '[BOGUS]' at 'explicitAuthFlows' {PREFIX} "
        f"Member must satisfy constraint: [{enum_text('ExplicitAuthFlowsType')}]"
    )
    assert (
        cognito_idp.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
        == []
    )


# -- loading and the Java regex dialect -------------------------------------------------------


def test_importing_the_package_does_not_load_the_model():
    code = (
        "import pytest_cognito_mock, pytest_cognito_mock.mock, pytest_cognito_mock._validation as v"
        "\nassert v._MODEL is None and not v._VALIDATORS\n"
        "v.validate_request('ListUserPools', {'MaxResults': 1})\nassert v._MODEL is not None"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        (r"[\w+]+", "abc_1+", True),
        (r"[\w+]+", "é", False),  # \w is ASCII-only in Java
        (r"[\S]+", "é€", True),
        (r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "e\u0301", True),  # letter + combining mark
        (r"[\p{L}\p{M}\p{S}\p{N}\p{P}]+", "a\u00a0b", False),  # no-break space is \p{Z}
        (r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+", "Okta", True),
        (r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+", "_kta", False),
        (r"[^_\p{Z}][\p{L}\p{M}\p{S}\p{N}\p{P}][^_\p{Z}]+", "Ok\u2003a", False),
        (r".*\{####\}.*", "Code {####}", True),
        (r".*\{####\}.*", "Code\r{####}", False),  # Java's '.' excludes every line terminator
        (r"(?s).*", "a\r\nb", True),
        (r"^[0-9A-Za-z\.\-_]*(?<!\.)$", "bucket.", False),
        (r"[A-Za-z0-9-_=.]+", "a-b_c=d.e", True),
        (r"[0-9]+", "12a", False),  # whole-value match, like Matcher.matches()
        (r"\p{Lu}\P{Lu}", "Ab", True),
        (r"\p{Lu}\P{Lu}", "AB", False),
        (r"\Q[x]\E+", "[x]]]", True),
        (r"\x{1F600}", "😀", True),
        (r"\p{Alpha}+", "abc", True),
        (r"\p{Alpha}+", "é", False),  # POSIX classes are ASCII-only in Java
    ],
)
def test_java_patterns_keep_their_java_meaning(pattern, value, matches):
    assert (compile_java(pattern).fullmatch(value) is not None) is matches


@pytest.mark.parametrize("pattern", [r"[a[b]]", r"[a-z&&[^e]]", r"\p{IsLatin}", r"\h", r"[ab"])
def test_java_constructs_without_a_faithful_translation_are_refused(pattern):
    with pytest.raises(ValueError):
        compile_java(pattern)


def test_unicode_general_categories_match_unicodedata():
    letters = compile_java(r"\p{L}")
    not_separators = compile_java(r"\P{Z}")
    for code_point in range(0, 0x110000, 97):
        char = chr(code_point)
        category = unicodedata.category(char)
        assert (letters.fullmatch(char) is not None) is category.startswith("L"), hex(code_point)
        assert (not_separators.fullmatch(char) is None) is category.startswith("Z"), hex(code_point)
