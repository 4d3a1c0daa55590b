"""Django's own form messages, as ZoneGuard's users read them.

The Chinese that ships with Django words a few of them awkwardly ("该变量", ASCII full stops,
"Email"). Named here, they enter core's catalogue, which Django reads before its own, so every
form in every module says them in ZoneGuard's words. Nothing calls this module: it is read by
makemessages (scripts/messages.py)."""

from django.utils.translation import gettext_noop, ngettext_lazy

OVERRIDDEN = (
    gettext_noop("Enter a valid email address."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Please correct the duplicate values below."),
    gettext_noop("CSRF verification failed. Request aborted."),
    ngettext_lazy(
        "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
        "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s digit in total.",
        "Ensure that there are no more than %(max)s digits in total.",
        "max",
    ),
    ngettext_lazy(
        "Ensure that there are no more than %(max)s decimal place.",
        "Ensure that there are no more than %(max)s decimal places.",
        "max",
    ),
)
