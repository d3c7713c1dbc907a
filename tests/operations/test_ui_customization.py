"""SetUICustomization and GetUICustomization (classic hosted-UI CSS and logo), through boto3."""

from __future__ import annotations

import json
import re

import pytest
from freezegun import freeze_time
from support.errors import refused

CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f8e1c2d-aaaa-bbbb-cccc-000000000001"
CSS = ".label-customizable {font-weight: 400;}"
OTHER_CSS = ".label-customizable {font-weight: 100;}"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
NO_DOMAIN = "There has to be an existing domain associated with this user pool"
# Every class name the developer guide lists, with the two states it allows for buttons and
# the one for input fields.
CLASSES = [
    ".background-customizable",
    ".banner-customizable",
    ".errorMessage-customizable",
    ".idpButton-customizable",
    ".idpButton-customizable:hover",
    ".idpDescription-customizable",
    ".inputField-customizable",
    ".inputField-customizable:focus",
    ".label-customizable",
    ".legalText-customizable",
    ".logo-customizable",
    ".passwordCheck-valid-customizable",
    ".passwordCheck-notValid-customizable",
    ".redirect-customizable",
    ".socialButton-customizable",
    ".submitButton-customizable",
    ".submitButton-customizable:hover",
    ".textDescription-customizable",
]


def customization(answer: dict) -> dict:
    return answer["UICustomization"]


@pytest.fixture
def domain(cognito_idp, pool_id) -> str:
    cognito_idp.create_user_pool_domain(UserPoolId=pool_id, Domain="my-app")
    return "my-app"


@pytest.fixture
def cloudfront(cognito_idp, domain) -> str:
    description = cognito_idp.describe_user_pool_domain(Domain=domain)["DomainDescription"]
    return description["CloudFrontDistribution"]


# -- the pool's default and the clients' own --------------------------------------------------


def test_the_pool_default_is_set_without_a_client_and_read_back_by_anyone(
    cognito_idp, cognito_mock, pool_id, domain
):
    with freeze_time("2025-01-15 19:19:28"):
        answer = customization(cognito_idp.set_ui_customization(UserPoolId=pool_id, CSS=CSS))
    expected = {
        "UserPoolId": pool_id,
        "ClientId": "ALL",
        "CSS": CSS,
        "CSSVersion": "20250115191928",
    }
    assert answer == expected
    other = cognito_mock.client()
    assert customization(other.get_ui_customization(UserPoolId=pool_id)) == expected
    assert customization(other.get_ui_customization(UserPoolId=pool_id, ClientId="ALL")) == (
        expected
    )


def test_a_client_without_its_own_gets_the_pool_default_under_all(
    cognito_idp, pool_id, client_id, domain
):
    cognito_idp.set_ui_customization(UserPoolId=pool_id, ClientId="ALL", CSS=CSS)
    inherited = customization(
        cognito_idp.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)
    )
    assert inherited["ClientId"] == "ALL"
    assert inherited["CSS"] == CSS


def test_a_client_of_its_own_overrides_the_default_for_that_client_only(
    cognito_idp, cognito_mock, pool_id, client_id, domain
):
    second = cognito_idp.create_user_pool_client(UserPoolId=pool_id, ClientName="second")
    second_id = second["UserPoolClient"]["ClientId"]
    cognito_idp.set_ui_customization(UserPoolId=pool_id, CSS=CSS)
    own = customization(
        cognito_idp.set_ui_customization(UserPoolId=pool_id, ClientId=client_id, CSS=OTHER_CSS)
    )
    assert (own["ClientId"], own["CSS"]) == (client_id, OTHER_CSS)
    other = cognito_mock.client()
    assert customization(other.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)) == own
    for query in ({}, {"ClientId": "ALL"}, {"ClientId": second_id}):
        seen = customization(other.get_ui_customization(UserPoolId=pool_id, **query))
        assert (seen["ClientId"], seen["CSS"]) == ("ALL", CSS)


def test_nothing_set_anywhere_is_the_empty_structure(cognito_idp, pool_id, client_id, domain):
    assert customization(cognito_idp.get_ui_customization(UserPoolId=pool_id)) == {}
    answer = cognito_idp.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)
    assert customization(answer) == {}


def test_a_set_replaces_css_and_logo_together(cognito_idp, pool_id, domain):
    cognito_idp.set_ui_customization(UserPoolId=pool_id, CSS=CSS, ImageFile=PNG)
    answer = customization(cognito_idp.set_ui_customization(UserPoolId=pool_id, CSS=OTHER_CSS))
    assert "ImageUrl" not in answer
    answer = customization(cognito_idp.set_ui_customization(UserPoolId=pool_id, ImageFile=JPEG))
    assert "CSS" not in answer and "ImageUrl" in answer
    assert customization(cognito_idp.get_ui_customization(UserPoolId=pool_id)) == answer


def test_a_set_with_neither_leaves_only_the_version_and_no_fallback(
    cognito_idp, pool_id, client_id, domain
):
    cognito_idp.set_ui_customization(UserPoolId=pool_id, CSS=CSS)
    cognito_idp.set_ui_customization(UserPoolId=pool_id, ClientId=client_id, CSS=OTHER_CSS)
    with freeze_time("2025-02-03 04:05:06"):
        cleared = cognito_idp.set_ui_customization(UserPoolId=pool_id, ClientId=client_id)
    expected = {"UserPoolId": pool_id, "ClientId": client_id, "CSSVersion": "20250203040506"}
    assert customization(cleared) == expected
    answer = cognito_idp.get_ui_customization(UserPoolId=pool_id, ClientId=client_id)
    assert customization(answer) == expected


# -- the logo ----------------------------------------------------------------------------------


def test_a_logo_is_hosted_on_the_prefix_domains_distribution(
    cognito_idp, pool_id, client_id, cloudfront
):
    with freeze_time("2025-01-17 00:59:11"):
        answer = cognito_idp.set_ui_customization(
            UserPoolId=pool_id, ClientId=client_id, ImageFile=PNG
        )
    assert customization(answer) == {
        "UserPoolId": pool_id,
        "ClientId": client_id,
        # image.jpg whatever the upload's format, as AWS names it.
        "ImageUrl": f"https://{cloudfront}/{pool_id}/{client_id}/20250117005911/assets/images/image.jpg",
        "CSSVersion": "20250117005911",
    }
    default = customization(cognito_idp.set_ui_customization(UserPoolId=pool_id, ImageFile=JPEG))
    assert re.fullmatch(
        rf"https://{re.escape(cloudfront)}/{pool_id}/ALL/\d{{14}}/assets/images/image\.jpg",
        default["ImageUrl"],
    )


def test_a_logo_is_hosted_on_the_custom_domain_when_there_is_one(cognito_idp, pool_id):
    cognito_idp.create_user_pool_domain(
        UserPoolId=pool_id,
        Domain="auth.example.com",
        CustomDomainConfig={"CertificateArn": CERTIFICATE},
    )
    with freeze_time("2025-01-09 17:05:43"):
        answer = cognito_idp.set_ui_customization(UserPoolId=pool_id, ImageFile=PNG, CSS=CSS)
    assert customization(answer)["ImageUrl"] == (
        "https://auth.example.com/ALL/20250109170543/assets/images/image.jpg"
    )


def test_a_logo_must_be_png_or_jpeg(cognito_idp, pool_id, domain):
    refused(
        cognito_idp.set_ui_customization,
        "InvalidParameterException",
        "The logo image must be a PNG or JPEG file.",
        UserPoolId=pool_id,
        ImageFile=b"GIF89a" + b"\x00" * 64,
    )
    assert customization(cognito_idp.get_ui_customization(UserPoolId=pool_id)) == {}


def test_an_empty_image_file_is_no_logo(cognito_idp, pool_id, domain):
    answer = customization(cognito_idp.set_ui_customization(UserPoolId=pool_id, ImageFile=b""))
    assert "ImageUrl" not in answer


def test_a_logo_over_100_kb_is_refused(cognito_idp, pool_id, domain):
    largest = PNG[:8] + b"\x00" * (100 * 1024 - 8)
    assert "ImageUrl" in customization(
        cognito_idp.set_ui_customization(UserPoolId=pool_id, ImageFile=largest)
    )
    refused(
        cognito_idp.set_ui_customization,
        "InvalidParameterException",
        "Request parameters too large: the logo image can be no larger than 100 KB.",
        UserPoolId=pool_id,
        ImageFile=largest + b"\x00",
    )


def test_a_largest_logo_leaves_room_for_only_a_small_sheet(cognito_idp, pool_id, domain):
    largest = PNG[:8] + b"\x00" * (100 * 1024 - 8)
    # 135 KB for the request: the logo takes 136,536 bytes as base64, leaving 1,704 for the CSS.
    fits = ".label-customizable {" + " " * (1704 - 22) + "}"
    assert len(fits) == 1704
    cognito_idp.set_ui_customization(UserPoolId=pool_id, ImageFile=largest, CSS=fits)
    refused(
        cognito_idp.set_ui_customization,
        "InvalidParameterException",
        "Request parameters too large: the request can be no larger than 135 KB.",
        UserPoolId=pool_id,
        ImageFile=largest,
        CSS=fits + " ",
    )


def test_an_image_file_that_is_not_base64_is_a_serialization_error(
    cognito_mock, cognito_idp, pool_id, domain
):
    body = json.dumps({"UserPoolId": pool_id, "ImageFile": "not base64!"})
    answer = cognito_mock._service.answer_api(
        "AWSCognitoIdentityProviderService.SetUICustomization", body, "us-east-1"
    )
    assert answer.status == 400
    assert json.loads(answer.body) == {
        "__type": "SerializationException",
        "message": "ImageFile is not valid base64.",
    }


# -- the CSS -----------------------------------------------------------------------------------


def test_every_documented_class_is_accepted_and_the_sheet_kept_as_given(
    cognito_idp, pool_id, domain
):
    sheet = "/* from the template */\n" + "\n".join(f"{c} {{\n\tcolor: #fff;\n}}" for c in CLASSES)
    sheet += "\n.logo-customizable, .banner-customizable { max-width: 80%; }\n"
    answer = customization(cognito_idp.set_ui_customization(UserPoolId=pool_id, CSS=sheet))
    assert answer["CSS"] == sheet
    assert customization(cognito_idp.set_ui_customization(UserPoolId=pool_id, CSS=""))["CSS"] == ""


@pytest.mark.parametrize(
    ("sheet", "named"),
    [
        (".custom-class { color: red; }", ".custom-class"),
        ("body { color: red; }", "body"),
        (".label-customizable:hover { color: red; }", ".label-customizable:hover"),
        (".label-customizable, div { color: red; }", "div"),
        (".banner-customizable img { width: 1px; }", ".banner-customizable img"),
        ("{ color: red; }", "an empty selector"),
    ],
)
def test_a_selector_outside_the_documented_list_is_refused(
    cognito_idp, pool_id, domain, sheet, named
):
    refused(
        cognito_idp.set_ui_customization,
        "InvalidParameterException",
        f"Invalid CSS: {named} is not a class name the hosted UI lets you customize.",
        UserPoolId=pool_id,
        CSS=CSS + "\n" + sheet,
    )
    assert customization(cognito_idp.get_ui_customization(UserPoolId=pool_id)) == {}


@pytest.mark.parametrize("at_rule", ["@import", "@media", "@supports", "@page", "@font-face"])
def test_at_rules_are_refused(cognito_idp, pool_id, domain, at_rule):
    refused(
        cognito_idp.set_ui_customization,
        "InvalidParameterException",
        f"Invalid CSS: {at_rule} is not allowed.",
        UserPoolId=pool_id,
        CSS=f"{CSS}\n{at_rule} screen {{ {CSS} }}",
    )


@pytest.mark.parametrize(
    "value", ["url(javascript:alert(1))", "expression(alert(1))", "'<script>alert(1)</script>'"]
)
def test_script_in_a_value_is_refused(cognito_idp, pool_id, domain, value):
    refused(
        cognito_idp.set_ui_customization,
        "InvalidParameterException",
        "Invalid CSS: property values cannot contain JavaScript.",
        UserPoolId=pool_id,
        CSS=f".background-customizable {{ background: {value}; }}",
    )


@pytest.mark.parametrize(
    "sheet",
    [
        ".label-customizable { color: red;",
        ".label-customizable { color: red; } trailing",
        ".label-customizable { .logo-customizable { color: red; } }",
        "} .label-customizable { color: red; }",
        ".label-customizable { color: red; } /* unclosed",
    ],
)
def test_a_sheet_that_is_not_a_list_of_rules_is_refused(cognito_idp, pool_id, domain, sheet):
    refused(
        cognito_idp.set_ui_customization,
        "InvalidParameterException",
        "Invalid CSS: the style sheet could not be parsed.",
        UserPoolId=pool_id,
        CSS=sheet,
    )


# -- what must exist first -------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["set_ui_customization", "get_ui_customization"])
def test_an_unknown_pool_is_not_found(cognito_idp, operation):
    refused(
        getattr(cognito_idp, operation),
        "ResourceNotFoundException",
        "User pool us-east-1_NoSuchPool does not exist.",
        UserPoolId="us-east-1_NoSuchPool",
    )


@pytest.mark.parametrize("operation", ["set_ui_customization", "get_ui_customization"])
def test_an_unknown_client_is_not_found(cognito_idp, pool_id, domain, operation):
    refused(
        getattr(cognito_idp, operation),
        "ResourceNotFoundException",
        "User pool client nosuchclient1234 does not exist.",
        UserPoolId=pool_id,
        ClientId="nosuchclient1234",
    )


@pytest.mark.parametrize("operation", ["set_ui_customization", "get_ui_customization"])
def test_a_pool_without_a_domain_is_refused(cognito_idp, pool_id, client_id, operation):
    for query in ({}, {"ClientId": client_id}, {"ClientId": "nosuchclient1234"}):
        refused(
            getattr(cognito_idp, operation),
            "InvalidParameterException",
            NO_DOMAIN,
            UserPoolId=pool_id,
            **query,
        )


def test_deleting_the_domain_makes_the_customization_unreadable(cognito_idp, pool_id, domain):
    cognito_idp.set_ui_customization(UserPoolId=pool_id, CSS=CSS)
    cognito_idp.delete_user_pool_domain(UserPoolId=pool_id, Domain=domain)
    refused(
        cognito_idp.get_ui_customization,
        "InvalidParameterException",
        NO_DOMAIN,
        UserPoolId=pool_id,
    )
