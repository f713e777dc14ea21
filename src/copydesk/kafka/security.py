"""How copydesk's Kafka clients reach a secured cluster: TLS, client certificates (mTLS) and SASL
(PLAIN, SCRAM-SHA-256, SCRAM-SHA-512). Every client copydesk makes (the worker through faust, the
producer, the admin client, the consumers of the tools) takes its connection settings from
``client_kwargs``, so they all connect the same way.
"""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import Any

from copydesk.settings import Settings, SettingsError

PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
#: How long the access check waits for one broker to answer.
CHECK_TIMEOUT_S = 15.0


class SecurityError(SettingsError):
    """The security settings are inconsistent, or the cluster refused them; the message says which
    setting to look at and never contains a secret."""


def client_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments for any aiokafka client: bootstrap servers plus security."""
    protocol = settings.security_protocol.strip().upper()
    if protocol not in PROTOCOLS:
        raise SecurityError(f"COPYDESK_SECURITY_PROTOCOL={settings.security_protocol!r}: expected one of {', '.join(PROTOCOLS)}")
    kwargs: dict[str, Any] = {"bootstrap_servers": settings.bootstrap_servers, "security_protocol": protocol}
    if protocol.endswith("SSL"):
        kwargs["ssl_context"] = ssl_context(settings)
    elif settings.ssl_cafile or settings.ssl_certfile:
        raise SecurityError(f"TLS files are set but COPYDESK_SECURITY_PROTOCOL={protocol}: use SSL or SASL_SSL")
    if protocol.startswith("SASL"):
        mechanism = settings.sasl_mechanism.strip().upper()
        if mechanism not in MECHANISMS:
            raise SecurityError(f"COPYDESK_SASL_MECHANISM={settings.sasl_mechanism!r}: expected one of {', '.join(MECHANISMS)}")
        if not settings.sasl_username:
            raise SecurityError(f"COPYDESK_SECURITY_PROTOCOL={protocol} needs COPYDESK_SASL_USERNAME")
        kwargs.update(sasl_mechanism=mechanism, sasl_plain_username=settings.sasl_username, sasl_plain_password=sasl_password(settings))
    elif settings.sasl_username:
        raise SecurityError(f"COPYDESK_SASL_USERNAME is set but COPYDESK_SECURITY_PROTOCOL={protocol}: use SASL_SSL or SASL_PLAINTEXT")
    return kwargs


def sasl_password(settings: Settings) -> str:
    """The password from COPYDESK_SASL_PASSWORD, or from the file COPYDESK_SASL_PASSWORD_FILE names
    (one trailing newline dropped, as secret files are usually written with one)."""
    if settings.sasl_password and settings.sasl_password_file:
        raise SecurityError("set COPYDESK_SASL_PASSWORD or COPYDESK_SASL_PASSWORD_FILE, not both")
    if settings.sasl_password_file:
        try:
            text = Path(settings.sasl_password_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise SecurityError(f"COPYDESK_SASL_PASSWORD_FILE: cannot read {settings.sasl_password_file}: {exc.strerror}") from None
        return text.removesuffix("\n").removesuffix("\r")
    if not settings.sasl_password:
        raise SecurityError("SASL needs COPYDESK_SASL_PASSWORD or COPYDESK_SASL_PASSWORD_FILE")
    return settings.sasl_password


def ssl_context(settings: Settings) -> ssl.SSLContext:
    """A client TLS context: brokers verified against COPYDESK_SSL_CAFILE (else the system's CAs),
    their host names checked unless COPYDESK_SSL_CHECK_HOSTNAME=false, and this client's
    certificate presented when one is set."""
    try:
        context = ssl.create_default_context(cafile=settings.ssl_cafile or None)
    except (OSError, ssl.SSLError) as exc:
        raise SecurityError(f"COPYDESK_SSL_CAFILE: cannot load CA certificates from {settings.ssl_cafile}: {_reason(exc)}") from None
    # Verification stays on without the host check: the certificate must still chain to a trusted CA.
    context.check_hostname = settings.ssl_check_hostname
    if settings.ssl_keyfile and not settings.ssl_certfile:
        raise SecurityError("COPYDESK_SSL_KEYFILE is set without COPYDESK_SSL_CERTFILE")
    if settings.ssl_certfile:
        try:
            context.load_cert_chain(settings.ssl_certfile, settings.ssl_keyfile or None, password=settings.ssl_key_password or None)
        except (OSError, ssl.SSLError) as exc:
            raise SecurityError(
                f"COPYDESK_SSL_CERTFILE/COPYDESK_SSL_KEYFILE: cannot load the client certificate {settings.ssl_certfile}: {_reason(exc)}"
            ) from None
    return context


def faust_credentials(settings: Settings) -> Any:
    """The same connection settings as faust's ``broker_credentials`` (None for PLAINTEXT)."""
    from faust.auth import SASLCredentials, SSLCredentials

    kwargs = client_kwargs(settings)
    if "sasl_mechanism" in kwargs:
        return SASLCredentials(
            username=kwargs["sasl_plain_username"], password=kwargs["sasl_plain_password"],
            ssl_context=kwargs.get("ssl_context"), mechanism=kwargs["sasl_mechanism"],
        )
    return SSLCredentials(kwargs["ssl_context"]) if "ssl_context" in kwargs else None


async def check_access(settings: Settings) -> None:
    """Connect to the first reachable bootstrap server as every client will, and raise a
    SecurityError when the cluster refuses the settings (an untrusted certificate, a failed
    login): that does not heal by retrying, so a worker says so at once instead of waiting for a
    broker. An unreachable broker is not this check's business: it returns, and callers retry."""
    from aiokafka.conn import create_conn
    from aiokafka.errors import KafkaError

    kwargs = client_kwargs(settings)
    auth = {k: v for k, v in kwargs.items() if k != "bootstrap_servers"}
    for server in settings.bootstrap_servers.split(","):
        host, _, port = server.strip().rpartition(":")
        try:
            conn = await asyncio.wait_for(create_conn(host, int(port), request_timeout_ms=int(CHECK_TIMEOUT_S * 1000), **auth), CHECK_TIMEOUT_S)
        except ssl.SSLCertVerificationError as exc:
            raise SecurityError(
                f"TLS: the certificate of {server} is not trusted ({exc.verify_message}); "
                "COPYDESK_SSL_CAFILE must name the CA that signed it (and the certificate must name the host unless "
                "COPYDESK_SSL_CHECK_HOSTNAME=false)"
            ) from None
        except ssl.SSLError as exc:
            raise SecurityError(
                f"TLS handshake with {server} failed ({_reason(exc)}): is it a {kwargs['security_protocol']} listener, "
                "and does it accept this client's certificate (COPYDESK_SSL_CERTFILE)?"
            ) from None
        except KafkaError as exc:
            if _is_refusal(exc):
                raise SecurityError(
                    f"SASL: {server} refused {kwargs['sasl_mechanism']} login of user {settings.sasl_username!r} "
                    f"({type(exc).__name__}): check COPYDESK_SASL_USERNAME, the password and COPYDESK_SASL_MECHANISM"
                ) from None
            if kwargs["security_protocol"].endswith("SSL") and "closed" in str(exc):
                # TCP was accepted and the connection dropped in the TLS handshake: what a broker
                # that requires client certificates does to a client without one it trusts.
                raise SecurityError(
                    f"TLS: {server} closed the connection during the handshake: it requires a client certificate "
                    "that it trusts: set COPYDESK_SSL_CERTFILE and COPYDESK_SSL_KEYFILE"
                ) from None
            continue
        except (OSError, TimeoutError):
            continue
        conn.close()
        return


def _is_refusal(exc: Exception) -> bool:
    from aiokafka.errors import (
        AuthenticationFailedError,
        AuthenticationMethodNotSupported,
        IllegalSaslStateError,
        SaslAuthenticationFailed,
        UnsupportedSaslMechanismError,
    )

    refusals = (AuthenticationFailedError, AuthenticationMethodNotSupported, IllegalSaslStateError, SaslAuthenticationFailed, UnsupportedSaslMechanismError)
    return isinstance(exc, refusals)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "reason", None) or getattr(exc, "strerror", None) or str(exc)
