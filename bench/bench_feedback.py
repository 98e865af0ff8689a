# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Breach job on 10 000 open feedback records: time and queries.

Run inside ``odoo shell`` (the ``env`` global is Odoo's):

    cd $WT && export VENV=/work/main/.venv && source scripts/common.sh && require_odoo
    odoo shell -d crm_sme_dev_fb --log-level=warn < bench/bench_feedback.py

It creates the records, moves their deadlines into the past, runs
``crm.sme.feedback._cron_flag_breaches()`` once and prints the figures next
to a raw SQL baseline (the same flagging as one UPDATE, without the
activities). Everything is rolled back: the database is left as it was.
"""

from datetime import timedelta
import time

N = 10_000
env = globals()["env"]  # noqa: F821 - provided by odoo shell
cr = env.cr
Feedback = env["crm.sme.feedback"].with_context(tracking_disable=True, mail_create_nolog=True)
partner = env["res.partner"].create({"name": "Bench customer", "is_company": True})
team = env["crm.team"].search([("user_id", "!=", False)], limit=1) or env["crm.team"].create(
    {"name": "Bench team", "user_id": env.ref("base.user_admin").id}
)

t0 = time.perf_counter()
for start in range(0, N, 2000):
    Feedback.create(
        [
            {"name": f"Bench feedback {i}", "partner_id": partner.id, "team_id": team.id}
            for i in range(start, min(start + 2000, N))
        ]
    )
env.flush_all()
created = time.perf_counter() - t0
past = env.cr.now() - timedelta(days=30)
cr.execute(
    "UPDATE crm_sme_feedback SET date_first_response_deadline = %s, "
    "date_resolution_deadline = %s WHERE partner_id = %s",
    [past, past, partner.id],
)
env.invalidate_all()

# Raw SQL baseline: flag the same rows with one statement, then undo it.
cr.execute("SAVEPOINT bench_baseline")
t0 = time.perf_counter()
cr.execute(
    """UPDATE crm_sme_feedback f SET is_breached = TRUE, date_breached = now()
         FROM crm_sme_feedback_stage s
        WHERE s.id = f.stage_id AND NOT COALESCE(s.fold, FALSE) AND NOT COALESCE(s.is_waiting, FALSE)
          AND NOT COALESCE(f.is_breached, FALSE)
          AND ((f.date_first_response IS NULL AND f.date_first_response_deadline < now())
               OR (f.date_resolved IS NULL AND f.date_resolution_deadline < now()))"""
)
baseline_rows = cr.rowcount
baseline = time.perf_counter() - t0
cr.execute("ROLLBACK TO SAVEPOINT bench_baseline")

queries_before = cr.sql_log_count
t0 = time.perf_counter()
flagged = env["crm.sme.feedback"]._cron_flag_breaches()
env.flush_all()
elapsed = time.perf_counter() - t0
queries = cr.sql_log_count - queries_before
activities = env["mail.activity"].search_count(
    [("res_model", "=", "crm.sme.feedback"), ("summary", "like", "Deadline breached")]
)
print(f"created {N} open feedback in {created:.1f} s")
print(f"breach job: {flagged} flagged, {activities} activities, {elapsed:.2f} s, {queries} queries")
print(f"raw SQL baseline (flag only): {baseline_rows} rows in {baseline:.3f} s, 1 query")
cr.rollback()
