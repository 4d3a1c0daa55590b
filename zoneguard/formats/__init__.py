"""Dates and times as ZoneGuard shows them in every language (settings.FORMAT_MODULE_PATH): the
forms of the lists and exports (2026-12-05 09:01), where Django's own would write
"2026年12月5日 09:01" in one place and "Dec. 5, 2026, 9:01 a.m." in another. Only the output
formats are set; what forms accept stays Django's for each language."""
