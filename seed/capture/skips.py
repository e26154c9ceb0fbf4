"""Messages that are not someone talking to someone: mailing lists, auto-replies, newsletters.

Read from headers only, conservatively: a marker a person's own mail client
never sets. The order matters (an out-of-office reply to a list post is an
auto-reply). Calendar holds with no external attendee are skipped later, when
the people are known (:mod:`seed.capture.run`).
"""

from __future__ import annotations

from collections.abc import Mapping

AUTO_REPLY = "auto-reply"
MAILING_LIST = "mailing list"
NEWSLETTER = "newsletter"

# Subjects of replies sent by a machine (Outlook, Gmail, Exchange, in a few languages).
_AUTO_SUBJECTS = (
    "automatic reply:", "auto:", "autoreply:", "auto-reply:", "out of office",
    "out-of-office", "abwesenheitsnotiz", "réponse automatique", "respuesta automática",
    "undeliverable:", "delivery status notification", "mail delivery failed",
)
_NO_REPLY = ("noreply@", "no-reply@", "donotreply@", "do-not-reply@", "mailer-daemon@",
             "newsletter@", "news@", "notifications@")


def skip_reason(h: Mapping[str, str], sender: str | None, subject: str | None) -> str | None:
    """Why a message (its wanted headers, lower-case names) is not an interaction, or None."""
    auto = h.get("auto-submitted", "").strip().lower()
    if (auto and auto != "no") or "x-autoreply" in h or "x-autorespond" in h:
        return AUTO_REPLY
    if h.get("return-path", "").strip() == "<>":  # bounces and most auto-replies
        return AUTO_REPLY
    if subject and subject.lower().startswith(_AUTO_SUBJECTS):
        return AUTO_REPLY
    precedence = h.get("precedence", "").strip().lower()
    if "list-id" in h or "list-post" in h or "mailing-list" in h or precedence == "list":
        return MAILING_LIST
    if precedence in ("bulk", "junk") or "list-unsubscribe" in h:
        return NEWSLETTER
    if sender and sender.startswith(_NO_REPLY):
        return NEWSLETTER
    return None
