"""The M2M API accepts client_credentials tokens with its scope and nothing else."""

from __future__ import annotations

from hosted_ui.conftest import DOMAIN_URL
from hosted_ui.orders_api import create_api, machine_token


def test_a_machine_with_the_scope_reads_orders(pool_id, machine_client):
    token = machine_token(f"{DOMAIN_URL}/oauth2/token", *machine_client)
    api = create_api("us-east-1", pool_id).test_client()
    answer = api.get("/orders", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    assert answer.get_json()["orders"][0]["for"] == machine_client[0]


def test_a_user_token_or_no_token_is_refused(cognito_idp, cognito_mock, pool_id, machine_client):
    api = create_api("us-east-1", pool_id).test_client()
    assert api.get("/orders").status_code == 401
    assert api.get("/orders", headers={"Authorization": "Bearer nonsense"}).status_code == 401
