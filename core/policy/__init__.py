"""The one access policy: who may do what, decided here and nowhere else.

- :mod:`core.policy.routes`: the permission every route declares, checked for every
  request before its view (``requires``, ``public``, ``signed_in``, ``user_can``), and
  the second factor that administrators and board members need.
- The object rules, one module per kind of record: :mod:`~core.policy.cases` (the
  involvement rule: which cases a user may see), :mod:`~core.policy.people`,
  :mod:`~core.policy.meetings`, :mod:`~core.policy.plans`, :mod:`~core.policy.forms`
  (agency forms and their shares), :mod:`~core.policy.casefile` (case file audits),
  :mod:`~core.policy.reports` (plugin reports) and :mod:`~core.policy.figures` (board
  members' exports); :mod:`~core.policy.records` loads a record through its rule.

No role is compared with another anywhere else in the code (a test checks it): views,
operations and templates ask these modules, and templates ask ``can(...)``.
"""
