"""One mock, eight threads, a thousand mixed calls each: the backend is safe for threads that
the code under test starts.

Each thread works in its own name space (so what it did can be checked exactly afterwards) and
also races the others for shared things: the same usernames, one group, the pool's listings,
two shared boto3 clients. Afterwards ListUsers, ListUserPoolClients, ListUsersInGroup, the
import jobs' counters and the mock's own call record must agree with what the threads saw.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

THREADS = 8
CALLS_PER_THREAD = 1_000
CONTENDED_NAMES = 40
PASSWORD = "Thr3ads-passw0rd!"
ROLE_ARN = "arn:aws:iam::123456789012:role/service-role/Cognito-UserImport-Role"
SSE = {"x-amz-server-side-encryption": "aws:kms"}
FLOWS = ["ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]


@dataclass
class Worker:
    """One thread's calls and what it recorded: who it created, deleted, imported, won."""

    number: int
    client: Any
    pool_id: str
    app_client_id: str
    calls: int = 0
    users: dict[str, str | None] = field(default_factory=dict)  # username -> refresh token
    deleted: set[str] = field(default_factory=set)
    grouped: set[str] = field(default_factory=set)
    app_clients: dict[str, str] = field(default_factory=dict)  # client id -> name
    deleted_app_clients: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)
    jobs: dict[str, int] = field(default_factory=dict)  # job id -> rows
    won: set[str] = field(default_factory=set)
    contended: int = 0
    created_count: int = 0

    def call(self, method: str, **params: Any) -> Any:
        self.calls += 1
        return getattr(self.client, method)(UserPoolId=self.pool_id, **params)

    def call_unsigned(self, method: str, **params: Any) -> Any:
        self.calls += 1
        return getattr(self.client, method)(**params)

    # -- the mix ---------------------------------------------------------------------------

    def run(self, start: threading.Barrier) -> None:
        chooser = random.Random(self.number)
        actions = [
            (self.create_user, 6),
            (self.sign_in, 4),
            (self.refresh, 4),
            (self.get_user, 2),
            (self.update_attributes, 2),
            (self.join_group, 2),
            (self.delete_user, 2),
            (self.create_client, 1),
            (self.update_client, 1),
            (self.delete_client, 1),
            (self.list_users, 1),
            (self.contend, 2),
            (self.import_job, 1),
        ]
        population = [action for action, weight in actions for _ in range(weight)]
        start.wait()
        while self.calls < CALLS_PER_THREAD:
            chooser.choice(population)(chooser)

    def _live_user(self, chooser: random.Random) -> str | None:
        live = [name for name in self.users if name not in self.deleted]
        return chooser.choice(live) if live else None

    def create_user(self, chooser: random.Random) -> None:
        name = f"t{self.number}-user-{self.created_count}"
        self.created_count += 1
        self.call(
            "admin_create_user",
            Username=name,
            MessageAction="SUPPRESS",
            UserAttributes=[{"Name": "email", "Value": f"{name}@example.com"}],
        )
        self.users[name] = None
        self.call("admin_set_user_password", Username=name, Password=PASSWORD, Permanent=True)

    def sign_in(self, chooser: random.Random) -> None:
        name = self._live_user(chooser)
        if name is None:
            return self.create_user(chooser)
        result = self.call(
            "admin_initiate_auth",
            ClientId=self.app_client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": name, "PASSWORD": PASSWORD},
        )["AuthenticationResult"]
        self.users[name] = result["RefreshToken"]

    def refresh(self, chooser: random.Random) -> None:
        signed_in = [n for n, t in self.users.items() if t is not None and n not in self.deleted]
        if not signed_in:
            return self.sign_in(chooser)
        name = chooser.choice(signed_in)
        result = self.call_unsigned(
            "initiate_auth",
            ClientId=self.app_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": self.users[name]},
        )["AuthenticationResult"]
        assert "RefreshToken" not in result  # rotation is off: the same token keeps working
        assert self.call_unsigned("get_user", AccessToken=result["AccessToken"])["Username"] == name

    def get_user(self, chooser: random.Random) -> None:
        name = self._live_user(chooser)
        if name is None:
            return self.create_user(chooser)
        user = self.call("admin_get_user", Username=name)
        assert user["Username"] == name

    def update_attributes(self, chooser: random.Random) -> None:
        name = self._live_user(chooser)
        if name is None:
            return self.create_user(chooser)
        nickname = f"n{chooser.randrange(1000)}"
        self.call(
            "admin_update_user_attributes",
            Username=name,
            UserAttributes=[{"Name": "nickname", "Value": nickname}],
        )

    def join_group(self, chooser: random.Random) -> None:
        name = self._live_user(chooser)
        if name is None:
            return self.create_user(chooser)
        self.call("admin_add_user_to_group", Username=name, GroupName="everyone")
        self.grouped.add(name)

    def delete_user(self, chooser: random.Random) -> None:
        name = self._live_user(chooser)
        if name is None:
            return self.create_user(chooser)
        self.call("admin_delete_user", Username=name)
        self.deleted.add(name)

    def create_client(self, chooser: random.Random) -> None:
        name = f"t{self.number}-client-{len(self.app_clients)}"
        created = self.call("create_user_pool_client", ClientName=name, ExplicitAuthFlows=FLOWS)
        self.app_clients[created["UserPoolClient"]["ClientId"]] = name

    def _live_client(self, chooser: random.Random) -> str | None:
        live = [c for c in self.app_clients if c not in self.deleted_app_clients]
        return chooser.choice(sorted(live)) if live else None

    def update_client(self, chooser: random.Random) -> None:
        client_id = self._live_client(chooser)
        if client_id is None:
            return self.create_client(chooser)
        name = f"{self.app_clients[client_id]}-renamed"
        self.call("update_user_pool_client", ClientId=client_id, ClientName=name)
        self.app_clients[client_id] = name

    def delete_client(self, chooser: random.Random) -> None:
        client_id = self._live_client(chooser)
        if client_id is None:
            return self.create_client(chooser)
        self.call("delete_user_pool_client", ClientId=client_id)
        self.deleted_app_clients.add(client_id)

    def list_users(self, chooser: random.Random) -> None:
        users = self.call("list_users", Limit=60)["Users"]
        assert len({user["Username"] for user in users}) == len(users)

    def contend(self, chooser: random.Random) -> None:
        """Every thread tries to create the same names: exactly one may win each."""
        name = f"shared-{chooser.randrange(CONTENDED_NAMES)}"
        self.contended += 1
        try:
            self.call("admin_create_user", Username=name, MessageAction="SUPPRESS")
        except self.client.exceptions.UsernameExistsException as refused:
            assert refused.response["Error"]["Message"] == "User account already exists"
        else:
            self.won.add(name)

    def import_job(self, chooser: random.Random) -> None:
        """Create, upload (over loopback HTTP), start and describe an import job."""
        job = self.call(
            "create_user_import_job", JobName=f"t{self.number}", CloudWatchLogsRoleArn=ROLE_ARN
        )["UserImportJob"]
        rows = chooser.randrange(1, 6)
        names = [f"t{self.number}-imported-{len(self.imported) + n}" for n in range(rows)]
        uploaded = requests.put(job["PreSignedUrl"], data=csv_of(names), headers=SSE, timeout=30)
        assert uploaded.status_code == 200, uploaded.text
        self.call("start_user_import_job", JobId=job["JobId"])
        done = self.call("describe_user_import_job", JobId=job["JobId"])["UserImportJob"]
        assert done["Status"] == "Succeeded", done
        self.imported.update(names)
        self.jobs[job["JobId"]] = rows


def csv_of(names: list[str]) -> bytes:
    header = (
        "cognito:username,name,given_name,family_name,middle_name,nickname,preferred_username,"
        "profile,picture,website,email,email_verified,gender,birthdate,zoneinfo,locale,"
        "phone_number,phone_number_verified,address,updated_at,cognito:mfa_enabled"
    )
    lines = [header] + [f"{name},,,,,,,,,,{name}@example.com,TRUE,,,,,,,,," for name in names]
    return ("\n".join(lines) + "\n").encode()


def every(client: Any, method: str, key: str, token: str, **params: Any) -> Iterator[Any]:
    """Every item of a paginated listing (the mock's own pagination tokens)."""
    request_token: dict[str, str] = {}
    while True:
        page = getattr(client, method)(**params, **request_token)
        yield from page[key]
        if not page.get(token):
            return
        request_token = {token: page[token]}


@pytest.fixture
def pool_id(cognito_idp) -> str:
    pool_id = cognito_idp.create_user_pool(PoolName="busy", AutoVerifiedAttributes=["email"])[
        "UserPool"
    ]["Id"]
    cognito_idp.create_group(UserPoolId=pool_id, GroupName="everyone")
    return pool_id


@pytest.mark.slow
def test_eight_threads_of_mixed_calls_on_one_mock(cognito_mock, cognito_idp, pool_id):
    app_client_id = cognito_idp.create_user_pool_client(
        UserPoolId=pool_id, ClientName="shared", ExplicitAuthFlows=FLOWS
    )["UserPoolClient"]["ClientId"]
    calls_before = len(cognito_mock.calls)
    # Two boto3 clients shared by all threads (botocore clients are thread-safe).
    shared = [cognito_idp, cognito_mock.client()]
    workers = [Worker(n, shared[n % 2], pool_id, app_client_id) for n in range(THREADS)]
    start = threading.Barrier(THREADS)
    with ThreadPoolExecutor(THREADS) as pool:
        futures = [pool.submit(worker.run, start) for worker in workers]
    for future in futures:
        future.result()  # re-raises anything a thread met that it did not expect

    # The mock recorded every call, once.
    total_calls = sum(worker.calls for worker in workers)
    assert total_calls >= THREADS * CALLS_PER_THREAD
    assert len(cognito_mock.calls) - calls_before == total_calls
    codes = Counter(call.error_code for call in cognito_mock.calls[calls_before:])
    assert set(codes) <= {None, "UsernameExistsException"}

    # Users: exactly what the threads created, imported and won, minus what they deleted.
    expected = set()
    for worker in workers:
        expected |= (set(worker.users) - worker.deleted) | worker.imported | worker.won
    users = list(every(cognito_idp, "list_users", "Users", "PaginationToken", UserPoolId=pool_id))
    usernames = [user["Username"] for user in users]
    assert sorted(usernames) == sorted(expected)
    subs = [next(a["Value"] for a in user["Attributes"] if a["Name"] == "sub") for user in users]
    assert len(set(subs)) == len(subs)

    # Each contended name was won exactly once; every losing attempt was refused.
    winners = Counter(name for worker in workers for name in worker.won)
    assert all(count == 1 for count in winners.values())
    attempts = sum(worker.contended for worker in workers)
    assert codes["UsernameExistsException"] == attempts - len(winners)

    # The group holds the grouped users that were not deleted.
    members = every(
        cognito_idp,
        "list_users_in_group",
        "Users",
        "NextToken",
        UserPoolId=pool_id,
        GroupName="everyone",
    )
    expected_members = set().union(*(worker.grouped - worker.deleted for worker in workers))
    assert sorted(user["Username"] for user in members) == sorted(expected_members)

    # App clients: the shared one plus each thread's live ones, with their latest names.
    expected_clients = {app_client_id: "shared"}
    for worker in workers:
        expected_clients.update(
            {
                c: name
                for c, name in worker.app_clients.items()
                if c not in worker.deleted_app_clients
            }
        )
    listed = every(
        cognito_idp,
        "list_user_pool_clients",
        "UserPoolClients",
        "NextToken",
        UserPoolId=pool_id,
        MaxResults=60,
    )
    assert {c["ClientId"]: c["ClientName"] for c in listed} == expected_clients

    # Import jobs: every job succeeded with exactly its rows imported.
    jobs = {
        job["JobId"]: job
        for job in every(
            cognito_idp,
            "list_user_import_jobs",
            "UserImportJobs",
            "PaginationToken",
            UserPoolId=pool_id,
            MaxResults=60,
        )
    }
    expected_jobs = {job_id: rows for worker in workers for job_id, rows in worker.jobs.items()}
    assert set(jobs) == set(expected_jobs)
    for job_id, rows in expected_jobs.items():
        job = jobs[job_id]
        assert (job["Status"], job["ImportedUsers"], job["SkippedUsers"], job["FailedUsers"]) == (
            "Succeeded",
            rows,
            0,
            0,
        )
    assert sum(expected_jobs.values()) == sum(len(worker.imported) for worker in workers)

    # The backend's own indexes agree with its users.
    pool = cognito_mock._service.backend.pools[pool_id]
    assert sorted(pool.users_by_sub.values()) == sorted(pool.users)
    assert pool.groups["everyone"].members == expected_members
