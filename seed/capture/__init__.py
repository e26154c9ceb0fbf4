"""Capture: touchpoints and "knows" links read from exported mailboxes and calendars.

``accountgraph capture FILES...`` (docs/import.md, Capture) reads ``.mbox``,
``.eml``, ``.ics`` and Outlook ``.msg`` files and turns each message or meeting
into a touchpoint, keyed on its Message-ID or iCalendar UID so a re-run changes
nothing. Only metadata is kept (who, when, kind, direction; the subject only when
asked for, as personal data). The modules, in the order data flows:

* :mod:`~seed.capture.interaction`: what every reader yields;
* :mod:`~seed.capture.headers`, :mod:`~seed.capture.mail`, :mod:`~seed.capture.ics`,
  :mod:`~seed.capture.outlook`: the readers;
* :mod:`~seed.capture.skips`: mailing lists, auto-replies, newsletters;
* :mod:`~seed.capture.people`: addresses to our users and contacts;
* :mod:`~seed.capture.signatures`: a title or phone from a signature;
* :mod:`~seed.capture.knows`: "knows" from co-participation;
* :mod:`~seed.capture.ledger`: what earlier runs read, so a re-run skips it;
* :mod:`~seed.capture.run`: the run itself.
"""
