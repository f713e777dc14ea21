"""Security settings become the same client settings for every client, or a clear error."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from copydesk.kafka.security import SecurityError, client_kwargs, faust_credentials
from copydesk.settings import Settings


def _settings(**env: str) -> Settings:
    return Settings.from_env({f"COPYDESK_{k.upper()}": v for k, v in env.items()})


def test_plaintext_is_the_default_and_has_no_tls():
    kwargs = client_kwargs(_settings(brokers="k1:9092,k2:9092"))
    assert kwargs == {"bootstrap_servers": "k1:9092,k2:9092", "security_protocol": "PLAINTEXT"}
    assert faust_credentials(_settings()) is None


def test_sasl_ssl_scram_with_a_password_file(tmp_path: Path):
    secret = tmp_path / "password"
    secret.write_text("hunter2\n")
    settings = _settings(security_protocol="sasl_ssl", sasl_mechanism="scram-sha-512", sasl_username="app", sasl_password_file=str(secret))
    kwargs = client_kwargs(settings)
    assert kwargs["security_protocol"] == "SASL_SSL"
    assert (kwargs["sasl_mechanism"], kwargs["sasl_plain_username"], kwargs["sasl_plain_password"]) == ("SCRAM-SHA-512", "app", "hunter2")
    context = kwargs["ssl_context"]
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED
    credentials = faust_credentials(settings)
    assert credentials.protocol.value == "SASL_SSL" and credentials.mechanism.value == "SCRAM-SHA-512"


def test_hostname_check_can_be_turned_off_but_verification_stays():
    context = client_kwargs(_settings(security_protocol="SSL", ssl_check_hostname="false"))["ssl_context"]
    assert not context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"security_protocol": "TLS"}, "expected one of PLAINTEXT"),
        ({"security_protocol": "SASL_SSL", "sasl_password": "x"}, "needs COPYDESK_SASL_USERNAME"),
        ({"security_protocol": "SASL_SSL", "sasl_username": "u"}, "SASL needs COPYDESK_SASL_PASSWORD"),
        ({"security_protocol": "SASL_SSL", "sasl_username": "u", "sasl_password": "x", "sasl_mechanism": "GSSAPI"}, "COPYDESK_SASL_MECHANISM"),
        ({"security_protocol": "SASL_SSL", "sasl_username": "u", "sasl_password": "x", "sasl_password_file": "/p"}, "not both"),
        ({"security_protocol": "SASL_SSL", "sasl_username": "u", "sasl_password_file": "/no/such/file"}, "cannot read /no/such/file"),
        ({"ssl_cafile": "/ca.pem"}, "TLS files are set but COPYDESK_SECURITY_PROTOCOL=PLAINTEXT"),
        ({"sasl_username": "u"}, "use SASL_SSL or SASL_PLAINTEXT"),
        ({"security_protocol": "SSL", "ssl_cafile": "/no/ca.pem"}, "COPYDESK_SSL_CAFILE: cannot load"),
        ({"security_protocol": "SSL", "ssl_certfile": "/no/client.pem"}, "cannot load the client certificate"),
    ],
)
def test_inconsistent_settings_say_which_to_fix(env: dict[str, str], message: str):
    with pytest.raises(SecurityError, match=message):
        client_kwargs(_settings(**env))


def test_secrets_stay_out_of_the_settings_repr():
    settings = _settings(sasl_password="hunter2", ssl_key_password="key-secret")
    assert "hunter2" not in repr(settings) and "key-secret" not in repr(settings)


def test_booleans_are_read_as_words():
    assert _settings(ssl_check_hostname="0").ssl_check_hostname is False
    assert _settings(ssl_check_hostname="yes").ssl_check_hostname is True
    with pytest.raises(ValueError, match="COPYDESK_SSL_CHECK_HOSTNAME"):
        _settings(ssl_check_hostname="maybe")


def test_an_encrypted_client_key_opens_with_its_password_only(tmp_path: Path):
    import shutil
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    run = lambda *args: subprocess.run(["openssl", *args], cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=client", "-keyout", "plain.key", "-out", "client.crt")
    run("pkey", "-in", "plain.key", "-aes256", "-passout", "pass:key-secret", "-out", "client.key")
    files = {"security_protocol": "SSL", "ssl_certfile": str(tmp_path / "client.crt"), "ssl_keyfile": str(tmp_path / "client.key")}
    assert client_kwargs(_settings(**files, ssl_key_password="key-secret"))["ssl_context"]
    with pytest.raises(SecurityError, match="cannot load the client certificate") as refused:
        client_kwargs(_settings(**files, ssl_key_password="wrong-secret"))
    assert "wrong-secret" not in str(refused.value)
