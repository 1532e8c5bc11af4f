"""E-mail over SMTP (aiosmtplib), classified into the delivery outcomes."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import aiosmtplib
from zroute_contract.events.codes import DeliveryFailure

from zroute_notifications.adapters.rendering import Rendered
from zroute_notifications.domain.delivery import Delivered, Failed, Outcome, TryAgain
from zroute_notifications.settings import Settings


class Mailer:
    def __init__(self, settings: Settings) -> None:
        self._s = settings

    def build(
        self, to: str, message: Rendered, notification_id: str, language: str
    ) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self._s.mail_from
        mail["To"] = to
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(idstring=notification_id, domain="zroute.notifications")
        mail["X-Zroute-Notification-Id"] = notification_id
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        mail["Content-Language"] = language  # after: add_alternative moves Content-*
        return mail

    async def send(self, mail: EmailMessage) -> Outcome:
        s = self._s
        try:
            await aiosmtplib.send(
                mail,
                hostname=s.smtp_host,
                port=s.smtp_port,
                username=s.smtp_username,
                password=s.smtp_password.get_secret_value() if s.smtp_password else None,
                start_tls=s.smtp_starttls,
                use_tls=s.smtp_tls,
                timeout=s.smtp_timeout_s,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [r.code for r in exc.recipients]
            if all(500 <= c < 600 for c in codes):
                return Failed(DeliveryFailure.SMTP_REJECTED, f"recipient refused {codes}", False)
            return TryAgain(DeliveryFailure.SMTP_UNAVAILABLE, f"recipient deferred {codes}")
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600:
                return Failed(DeliveryFailure.SMTP_REJECTED, f"SMTP {exc.code}", False)
            return TryAgain(DeliveryFailure.SMTP_UNAVAILABLE, f"SMTP {exc.code}")
        except (aiosmtplib.SMTPException, OSError) as exc:
            return TryAgain(DeliveryFailure.SMTP_UNAVAILABLE, type(exc).__name__)
        return Delivered()
