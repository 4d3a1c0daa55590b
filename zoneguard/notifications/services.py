"""One notification service for every module: the in-app inbox always, and e-mail or group-chat
robots (WeCom, DingTalk) by delivery rule. Deliveries are queued in the same transaction as the
event, first attempted after commit, and retried by `manage.py send_notifications` until sent or
out of attempts; a failed delivery stays visible on the deliveries page."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone, translation

from zoneguard.accounts.models import User
from zoneguard.audit.services import purge_audited
from zoneguard.core.context import absolute_url
from zoneguard.core.roles import Role

from .models import (
    AUDIENCE_ROLES,
    Audience,
    Channel,
    Delivery,
    DeliveryRule,
    DeliveryStatus,
    Notification,
    NotificationKind,
)

logger = logging.getLogger(__name__)


def _render(text: Any, params: Mapping[str, Any] | None, language: str) -> str:
    with translation.override(language):
        rendered = str(text)
        if params:
            rendered = rendered % {key: str(value) for key, value in params.items()}
        return rendered


def _rule_matches(rule: DeliveryRule, user: Any) -> bool:
    if rule.department_id and user.department_id != rule.department_id:
        return False
    if rule.organisation_id and user.organisation_id != rule.organisation_id:
        return False
    if rule.audience == Audience.EVERYONE:
        return True
    if rule.audience == Audience.DUTY_OFFICERS:
        return bool(user.is_duty_officer) or (user.role == Role.COMMANDER)
    return AUDIENCE_ROLES.get(Audience(rule.audience)) == user.role


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: Any,
    body: Any = "",
    params: Mapping[str, Any] | None = None,
    link: str = "",
    source: models.Model | None = None,
    external: bool = True,
) -> list[Notification]:
    """Tell `recipients` about an event. Call inside the event's transaction.

    `title` and `body` may be lazy translations with `%(name)s` placeholders filled from `params`;
    each recipient reads them in their own language. `external=False` keeps the message in the
    inbox only (used for failures of the external channels themselves, which must not loop)."""
    users = {user.pk: user for user in recipients if user is not None and user.is_active}.values()
    if not users:
        return []
    source_type = source._meta.label_lower if source is not None else ""
    source_id = str(source.pk) if source is not None else ""
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                title=_render(title, params, user.language)[:200],
                body=_render(body, params, user.language),
                link=link,
                source_type=source_type,
                source_id=source_id,
            )
            for user in users
        ],
        batch_size=500,
    )
    by_user = {n.recipient_id: n for n in notifications}
    # E-mails and robot messages carry the whole address, taken now: the address this request
    # came in on, which the periodic command that sends them later does not know.
    outside_link = absolute_url(link)
    deliveries: list[Delivery] = []
    for rule in DeliveryRule.objects.filter(is_active=True) if external else ():
        if rule.kinds and kind not in rule.kinds:
            continue
        matching = [user for user in users if _rule_matches(rule, user)]
        if not matching:
            continue
        if rule.channel == Channel.EMAIL:
            deliveries.extend(
                Delivery(
                    rule=rule,
                    channel=rule.channel,
                    target=user.email,
                    notification=by_user[user.pk],
                    title=by_user[user.pk].title,
                    body=by_user[user.pk].body,
                    link=outside_link,
                )
                for user in matching
                if user.email
            )
            # Never dropped silently: a recipient without an address shows as a failed delivery.
            deliveries.extend(
                Delivery(
                    rule=rule,
                    channel=rule.channel,
                    target=user.get_username(),
                    notification=by_user[user.pk],
                    title=by_user[user.pk].title,
                    body=by_user[user.pk].body,
                    link=outside_link,
                    status=DeliveryStatus.FAILED,
                    last_error=NO_ADDRESS,
                )
                for user in matching
                if not user.email
            )
        else:
            language = settings.LANGUAGE_CODE
            deliveries.append(
                Delivery(
                    rule=rule,
                    channel=rule.channel,
                    target=rule.webhook_url,
                    title=_render(title, params, language)[:200],
                    body=_render(body, params, language),
                    link=outside_link,
                )
            )
    if deliveries:
        # SQLite and PostgreSQL both return the new ids from a bulk insert.
        ids = [d.pk for d in Delivery.objects.bulk_create(deliveries, batch_size=500)]
        transaction.on_commit(lambda: deliver(ids))
    return notifications


def wecom_payload(delivery: Delivery) -> dict[str, Any]:
    """WeCom (企业微信) group robot, markdown message."""
    lines = [f"**{delivery.title}**"]
    if delivery.body:
        lines.append(delivery.body)
    if delivery.link:
        lines.append(f"[{absolute_url(delivery.link)}]({absolute_url(delivery.link)})")
    return {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)}}


def dingtalk_payload(delivery: Delivery) -> dict[str, Any]:
    """DingTalk (钉钉) group robot, markdown message."""
    lines = [f"#### {delivery.title}"]
    if delivery.body:
        lines.append(delivery.body)
    if delivery.link:
        lines.append(f"[{absolute_url(delivery.link)}]({absolute_url(delivery.link)})")
    return {"msgtype": "markdown", "markdown": {"title": delivery.title, "text": "\n\n".join(lines)}}


def dingtalk_signed_url(url: str, secret: str, *, timestamp_ms: int | None = None) -> str:
    """DingTalk's signing: HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded, appended to the URL."""
    timestamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


def post_json(url: str, payload: Mapping[str, Any], *, timeout: float) -> dict[str, Any]:
    """POST JSON and decode the JSON answer. Tests replace this function."""
    if not url.startswith(("https://", "http://")):
        raise ValueError("webhook URL must be http(s)")
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url, data=json.dumps(payload, ensure_ascii=False).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return json.loads(response.read().decode() or "{}")


def _send(delivery: Delivery) -> None:
    if delivery.channel == Channel.EMAIL:
        body = delivery.body + (f"\n\n{absolute_url(delivery.link)}" if delivery.link else "")
        send_mail(delivery.title, body, settings.DEFAULT_FROM_EMAIL, [delivery.target], fail_silently=False)
        return
    if delivery.channel == Channel.WECOM:
        url, payload = delivery.target, wecom_payload(delivery)
    else:
        secret = delivery.rule.webhook_secret if delivery.rule else ""
        url = dingtalk_signed_url(delivery.target, secret) if secret else delivery.target
        payload = dingtalk_payload(delivery)
    answer = post_json(url, payload, timeout=settings.NOTIFICATION_WEBHOOK_TIMEOUT)
    # Both robots answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; anything else is a failure.
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"robot answered errcode={answer.get('errcode')}: {answer.get('errmsg', '')}")


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


NO_ADDRESS = "no e-mail address: add one to the user's account"


def _claim(delivery: Delivery, now: Any) -> bool:
    """Take the delivery for one attempt. The on-commit attempt and `send_notifications` may reach
    the same pending delivery at once; the conditional update lets only one of them send it. The
    lease expires, so a delivery whose sender died is attempted again later."""
    lease = timezone.now() + timedelta(seconds=settings.NOTIFICATION_WEBHOOK_TIMEOUT * 2 + 60)
    return bool(
        Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING)
        .filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
        .update(next_attempt_at=lease)
    )


def _announce_failure(delivery: Delivery) -> None:
    """A delivery out of attempts is reported to the commanders' inbox (never to the external
    channels, which are what failed)."""
    from django.utils.translation import gettext_lazy

    from zoneguard.accounts.selectors import commanders

    notify(
        recipients=commanders(),
        kind=NotificationKind.ALERT,
        title=gettext_lazy("Delivery failed: %(title)s"),
        body=gettext_lazy("%(channel)s to %(target)s failed after %(attempts)s attempts: %(error)s"),
        params={
            "title": delivery.title,
            "channel": Channel(delivery.channel).label,
            "target": delivery.target[:80],
            "attempts": delivery.attempts,
            "error": delivery.last_error[:300],
        },
        link="/notifications/deliveries/?status=failed",
        source=delivery,
        external=False,
    )


def delivery_attempt(delivery: Delivery, *, now: Any = None) -> Delivery:
    """Attempt a pending delivery once, if no other process is attempting it."""
    if not _claim(delivery, now or timezone.now()):
        return delivery
    now = timezone.now()
    delivery.attempts += 1
    try:
        _send(delivery)
    except Exception as error:  # any failure of a remote system is recorded and retried
        logger.warning("delivery %s failed: %s", delivery.pk, error)
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
            _announce_failure(delivery)
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    else:
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.next_attempt_at = None
        delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "last_error", "next_attempt_at", "sent_at"])
    return delivery


def deliver(ids: Iterable[int]) -> None:
    for delivery in Delivery.objects.filter(pk__in=list(ids), status=DeliveryStatus.PENDING).select_related("rule"):
        delivery_attempt(delivery)


def deliver_due(*, now: Any = None, limit: int = 500) -> int:
    """Attempt every pending delivery whose time has come; returns how many were attempted."""
    now = now or timezone.now()
    attempted = 0
    due = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now))
        .select_related("rule")
        .order_by("created_at")[:limit]
    )
    for delivery in due:
        before = delivery.attempts
        if delivery_attempt(delivery, now=now).attempts > before:
            attempted += 1
    return attempted


def delivery_retry(*, actor: User, delivery: Delivery) -> Delivery:
    """The commander sends a failed delivery again (after fixing a robot URL, say), attempts
    counted from zero. Only a failed delivery: a sent one would reach its recipients twice, and a
    pending one is still being retried on its own. The row is locked while its state is checked
    and reset, so two clicks retry it once; the attempt itself runs after, outside the lock."""
    from django.utils.translation import gettext as _

    from zoneguard.core.errors import Conflict, Forbidden
    from zoneguard.registry.scoping import is_commander

    if not is_commander(actor):
        raise Forbidden()
    with transaction.atomic():
        locked = Delivery.objects.select_for_update(of=("self",)).select_related("rule").get(pk=delivery.pk)
        if locked.status == DeliveryStatus.SENT:
            raise Conflict(_("This message was already sent; it is not sent twice."), code="delivery_not_failed")
        if locked.status != DeliveryStatus.FAILED:
            raise Conflict(
                _("This message is still being sent and is retried on its own; only a failed one can be sent again."),
                code="delivery_not_failed",
            )
        locked.status = DeliveryStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = None
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
    return delivery_attempt(locked)


@transaction.atomic
def notification_mark_read(*, actor: User, notification_id: int) -> int:
    return Notification.objects.filter(recipient=actor, pk=notification_id, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notification_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


RULE_FIELDS = (
    "name",
    "audience",
    "department",
    "organisation",
    "kinds",
    "channel",
    "webhook_url",
    "webhook_secret",
    "is_active",
)


@transaction.atomic
def rule_save(*, actor: User, rule: DeliveryRule | None, data: Mapping[str, Any]) -> DeliveryRule:
    """The commander decides which recipient group gets which kinds of notification by e-mail or
    on which group robot. An empty secret leaves the stored one unchanged."""
    from zoneguard.audit.models import AuditAction
    from zoneguard.audit.services import audit_record, changes_between, snapshot
    from zoneguard.core.errors import Forbidden
    from zoneguard.core.services import apply_fields, validate_and_save
    from zoneguard.registry.scoping import is_commander

    if not is_commander(actor):
        raise Forbidden()
    values = dict(data)
    if rule is not None and not values.get("webhook_secret"):
        values.pop("webhook_secret", None)
    rule = rule or DeliveryRule()
    fields = [f for f in RULE_FIELDS if f != "webhook_secret"]
    before = snapshot(rule, fields) if rule.pk else {}
    apply_fields(rule, values, RULE_FIELDS)
    validate_and_save(rule)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=rule,
        detail={"changes": changes_between(before, snapshot(rule, fields))},
    )
    return rule


def rule_test(*, actor: User, rule: DeliveryRule) -> Delivery:
    """Send a test message through the rule now (to the commander's own address for e-mail)."""
    from django.utils.translation import gettext as _

    from zoneguard.core.errors import Forbidden, InvalidInput
    from zoneguard.registry.scoping import is_commander

    if not is_commander(actor):
        raise Forbidden()
    if rule.channel == Channel.EMAIL and not actor.email:
        raise InvalidInput.for_field("email", _("Add an e-mail address to your account to receive the test."))
    delivery = Delivery.objects.create(
        rule=rule,
        channel=rule.channel,
        target=actor.email if rule.channel == Channel.EMAIL else rule.webhook_url,
        title=_("ZoneGuard test message"),
        body=_("Delivery rule “%(name)s” works.") % {"name": rule.name},
        link="/notifications/deliveries/",
    )
    return delivery_attempt(delivery)


def purge_notifications(before: datetime, dry_run: bool) -> int:
    """Notifications made before `before` (core.retention). A notification is a message of its
    moment (a fever at a gate, an errand to run, a filing to approve) and names people and what
    they needed; the records it points to keep what lasts."""
    old = Notification.objects.filter(created_at__lt=before).order_by("created_at", "id")
    return purge_audited(old, before=before, dry_run=dry_run)


def purge_deliveries(before: datetime, dry_run: bool) -> int:
    """The copies of notifications sent, or given up on, by e-mail or group chat before `before`;
    one still being tried stays."""
    done = Delivery.objects.filter(created_at__lt=before).exclude(status=DeliveryStatus.PENDING).order_by("pk")
    return purge_audited(done, before=before, dry_run=dry_run)
