# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import date, datetime
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from xml.etree import ElementTree
import zipfile

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CrmSmeCommon

NS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def read_xlsx(data):
    """{sheet title: [[cell values]]} of an xlsx, with the standard library only."""
    book = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
        shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['s']}}}t")) for si in root]
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    sheets = {}
    for sheet in workbook.find("s:sheets", NS):
        path = "xl/" + targets[sheet.get(REL_NS)].lstrip("/").removeprefix("xl/")
        rows = []
        for row in ElementTree.fromstring(book.read(path)).iter(f"{{{NS['s']}}}row"):
            values = []
            for cell in row.findall("s:c", NS):
                kind, value = cell.get("t"), cell.find("s:v", NS)
                if kind == "s":
                    values.append(shared[int(value.text)])
                elif kind == "inlineStr":
                    values.append("".join(t.text or "" for t in cell.iter(f"{{{NS['s']}}}t")))
                elif value is not None:
                    values.append(float(value.text))
                else:
                    values.append(None)
            rows.append(values)
        sheets[sheet.get("name")] = rows
    return sheets


def pdf_text(pdf):
    """The PDF's text (poppler's pdftotext); NFKC folds the CJK radicals some fonts map to."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True
        ).stdout.decode()
    return unicodedata.normalize("NFKC", text)


class DynamicReportCommon(CrmSmeCommon):
    """Four customers of two salespeople, invoices, monthly snapshots and feedback in 2020."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["crm.sme.dynamic.report"]
        cls.journal = cls.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", cls.company.id)], limit=1
        )

        def customer(name, user):
            return cls.env["res.partner"].create(
                {"name": name, "is_company": True, "user_id": user.id, "company_id": cls.company.id}
            )

        # Sally (team member): a key account grown from "grow", a customer lost in March
        cls.grown = customer("宁波文具超市 Haishu Mart", cls.user_salesman)
        cls.lost = customer("Jiangbei Books (lost)", cls.user_salesman)
        # Sam (not in the team): a new customer and a reactivated one
        cls.new = customer("Beilun Office New", cls.user_salesman_2)
        cls.back = customer("Zhenhai Print Back", cls.user_salesman_2)
        cls._invoice(cls.grown, 9000.0, date(2020, 3, 10))
        cls._invoice(cls.grown, 1000.0, date(2020, 3, 20))
        cls._invoice(cls.grown, 500.0, date(2019, 12, 5))
        cls._invoice(cls.lost, 300.0, date(2019, 6, 1))
        cls._invoice(cls.new, 2000.0, date(2020, 3, 15))
        cls._invoice(cls.back, 700.0, date(2020, 3, 2))
        cls._invoice(cls.back, 50.0, date(2018, 1, 2))
        cls._invoice(cls.new, 4000.0, date(2020, 5, 2))  # after the period
        history = cls.env["crm.sme.customer.value.history"].sudo()
        for partner, start, end in (
            (cls.grown, ("grow", "active"), ("key", "active")),
            (cls.lost, ("basic", "at_risk"), ("basic", "lost")),
            (cls.back, ("basic", "dormant"), ("maintain", "active")),
        ):
            for period, (tier, stage) in ((date(2020, 2, 1), start), (date(2020, 3, 1), end)):
                history.create(
                    {
                        "partner_id": partner.id,
                        "company_id": cls.company.id,
                        "period": period,
                        "value_tier": tier,
                        "lifecycle": stage,
                        "user_id": partner.user_id.id,
                    }
                )
        feedback = cls.env["crm.sme.feedback"]
        complaint = cls.env.ref("crm_sme.feedback_type_complaint")
        for partner, csat, nps in ((cls.grown, 5, 10), (cls.grown, 2, 3), (cls.new, 4, 9)):
            feedback.create(
                {
                    "name": "Pens leak",
                    "partner_id": partner.id,
                    "type_id": complaint.id,
                    "date_received": "2020-03-12 09:00:00",
                }
            ).sudo().write(
                {
                    "csat_score": csat,
                    "date_csat": "2020-03-20 10:00:00",
                    "nps_score": nps,
                    "date_nps": "2020-03-20 10:00:00",
                    "is_breached": csat < 3,
                    "date_breached": "2020-03-13 10:00:00" if csat < 3 else False,
                }
            )

    @classmethod
    def _invoice(cls, partner, amount, invoice_date):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "journal_id": cls.journal.id,
                "invoice_date": invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Gel pens", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        return move

    def _report(self, user=None, **vals):
        values = {"company_id": self.company.id, "period_type": "month", "date_from": "2020-03-01"}
        values.update(vals)
        return self.Report.with_user(user or self.user_sales_manager).create(values)

    @staticmethod
    def _by_key(sections):
        return {section["key"]: section for section in sections}

    def _names(self, section):
        return {row[0] for row in section["rows"]}


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_dynamic_report")
class TestDynamicReport(HttpCase, DynamicReportCommon):
    """The customer dynamic analysis: figures, access, bad input, PDF, xlsx, monthly email.

    An HttpCase as Odoo's own report rendering tests: wkhtmltopdf fetches the
    report's assets from the test server, which must see the test's transaction
    (on a fresh database the bundle is made inside it)."""

    def test_figures_of_the_period(self):
        report = self._report()
        self.assertEqual(str(report.date_to), "2020-03-31")
        self.assertEqual(report.name, f"Customer Dynamic Analysis {self.company.name} 2020-03")
        sections = self._by_key(report._sections())
        self.assertEqual(self._names(sections["new"]), {self.new.name})
        self.assertEqual(self._names(sections["lost"]), {self.lost.name})
        self.assertEqual(self._names(sections["reactivated"]), {self.back.name})
        self.assertEqual(self._names(sections["at_risk"]), set())
        moves = {(r[0], r[1]): (r[2], r[3]) for r in sections["tier_moves"]["rows"]}
        self.assertEqual(moves[("Grow", "Key")], (1, 10000.0))
        self.assertEqual(moves[("Basic", "Maintain")], (1, 700.0))
        self.assertEqual(moves[("Basic", "Basic")], (1, 0.0))
        tiers = {r[0]: r[1:] for r in sections["revenue_tier"]["rows"]}
        total = 10000.0 + 2000.0 + 700.0
        self.assertEqual(tiers["Key"][:2], (1, 10000.0))
        self.assertAlmostEqual(tiers["Key"][2], 10000.0 / total)
        self.assertEqual(sections["revenue_tier"]["totals"][2], total)
        top = sections["top"]["rows"]
        self.assertEqual([r[0] for r in top], [self.grown.name, self.new.name, self.back.name])
        self.assertEqual(top[0][3:5], (2, 10000.0))
        satisfaction = {r[0]: r[1:] for r in sections["satisfaction"]["rows"]}
        # Key: 2 complaints, 1 breached, CSAT (5+2)/2, NPS 1 promoter 1 detractor -> 0
        self.assertEqual(satisfaction["Key"], (2, 2, 1, 3.5, 0.0))
        self.assertEqual(sections["satisfaction"]["totals"][1:4], (3, 3, 1))
        self.assertAlmostEqual(sections["satisfaction"]["totals"][5], 100.0 * (2 - 1) / 3)
        people = {r[0]: r for r in sections["salespeople"]["rows"]}
        self.assertEqual(people[self.user_salesman.name][5], 10000.0)
        self.assertEqual(people[self.user_salesman_2.name][1:4], (2, 1, 0))
        summary = dict(sections["summary"]["rows"])
        self.assertEqual(summary["New customers"], 1)
        self.assertEqual(summary["Customers changing value tier"], 2)
        self.assertEqual(summary["Revenue"], total)

    def test_rows_follow_the_reader(self):
        """Team leader: the team's customers; salesperson: own; accountant: all."""
        all_names = {self.grown.name, self.new.name, self.back.name}
        for user, expected in (
            (self.user_team_leader, {self.grown.name}),
            (self.user_salesman, {self.grown.name}),
            (self.user_accountant, all_names),
            (self.user_sales_manager, all_names),
        ):
            data = self.env["crm.sme.dynamic.report.data"].with_user(user)
            sections = self._by_key(
                data._dynamic_sections(self.company, date(2020, 3, 1), date(2020, 3, 31))
            )
            self.assertEqual(self._names(sections["top"]), expected, user.login)
        # the report itself: team leaders and managers, not salespeople; own reports only
        with self.assertRaises(AccessError):
            self._report(self.user_salesman)
        leader_report = self._report(self.user_team_leader)
        manager_report = self._report(self.user_sales_manager)
        visible = self.Report.with_user(self.user_team_leader).search([])
        self.assertIn(leader_report, visible)
        self.assertNotIn(manager_report, visible)
        self.assertIn(leader_report, self.Report.with_user(self.user_accountant).search([]))
        with self.assertRaises(AccessError):
            leader_report.with_user(self.user_accountant).write({"period_type": "year"})
        # another company's manager reads none of them, nor their customers' rows
        other_manager = new_test_user(
            self.env,
            "crm_sme_other_manager",
            "sales_team.group_sale_manager",
            company_id=self.company_other.id,
            company_ids=[Command.set(self.company_other.ids)],
        )
        self.assertFalse(self.Report.with_user(other_manager).search([]))
        self.assertTrue(self._report(other_manager, company_id=self.company_other.id))
        with self.assertRaises(UserError):
            self._report(other_manager)

    def test_bad_input(self):
        count = self.Report.search_count([])
        with self.assertRaises(ValidationError) as error:
            self._report(period_type="custom", date_from="2020-03-31", date_to="2020-03-01")
        self.assertIn("ends before it starts", str(error.exception))
        with self.assertRaises(UserError) as error:
            self._report(company_id=self.company_other.id)
        self.assertIn("your own companies", str(error.exception))
        self.assertEqual(self.Report.search_count([]), count)

    def test_empty_company_gives_empty_report(self):
        empty = self.env["res.company"].create({"name": "Empty Co (crm_sme test)"})
        self.user_sales_manager.company_ids |= empty
        report = self._report(company_id=empty.id, period_type="year", date_from="2020-01-01")
        sections = report._sections()
        self.assertEqual(len(sections), 13)
        for section in sections:
            if section["key"] != "summary":
                self.assertEqual(section["rows"], [], section["key"])
        report.with_context(force_report_rendering=True).action_generate()
        self.assertTrue(report.pdf_file and report.xlsx_file)
        sheets = read_xlsx(base64.b64decode(report.xlsx_file))
        self.assertEqual(len(sheets), 13)

    def test_pdf_and_xlsx(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        report = self._report().with_context(force_report_rendering=True)
        report.with_user(self.user_sales_manager).action_generate()
        pdf = base64.b64decode(report.pdf_file)
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        for expected in (
            "宁波文具超市",
            "New Customers",
            "Value Tier Moves",
            "Top Customers",
            "Complaints and Satisfaction by Tier",
            "Salesperson Performance",
            "Beilun Office New",
        ):
            self.assertIn(expected, text)
        self.assertTrue(re.search(r"10,000\.00", text), "the key account's revenue is printed")

        sheets = read_xlsx(base64.b64decode(report.xlsx_file))
        self.assertEqual(
            list(sheets)[:6],
            [
                "Summary",
                "New Customers",
                "Lost Customers",
                "At-Risk Customers",
                "Reactivated Customers",
                "Value Tier Moves",
            ],
        )
        top = sheets["Top Customers"]
        header = top.index(
            ["Customer", "Salesperson", "Value Tier", "Invoices", "Revenue", "Share"]
        )
        self.assertEqual(top[header + 1][0], self.grown.name)
        self.assertEqual(top[header + 1][4], 10000.0)
        new = sheets["New Customers"]
        self.assertIn(self.new.name, [row[0] for row in new if row])
        tier_rows = sheets["Revenue by Value Tier"]
        self.assertEqual(tier_rows[-1][2], 12700.0)  # totals row

        # the files are read under the report's rules
        download = report.with_user(self.user_sales_manager).action_download_xlsx()
        self.assertIn(
            f"/web/content/crm.sme.dynamic.report/{report.id}/xlsx_file/", download["url"]
        )

    def test_monthly_email(self):
        self.user_sales_manager.write({"crm_sme_dynamic_report_monthly": True, "lang": "en_US"})
        # a salesperson cannot ask for it (not a team leader): never sent
        self.user_salesman.crm_sme_dynamic_report_monthly = True
        mails_before = self.env["mail.mail"].search([])
        self.Report.with_context(force_report_rendering=True)._cron_send_monthly()
        mails = self.env["mail.mail"].search([]) - mails_before
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.recipient_ids, self.user_sales_manager.partner_id)
        self.assertIn("Customer Dynamic Analysis", mails.subject)
        self.assertEqual(
            sorted(mails.attachment_ids.mapped("mimetype")),
            [
                "application/pdf",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ],
        )
        report = self.Report.search([("user_id", "=", self.user_sales_manager.id)])
        self.assertEqual(len(report), 1)
        self.assertEqual(report.period_type, "month")
        self.assertEqual(report.date_from.day, 1)


@tagged("post_install", "-at_install", "crm_sme", "crm_sme_dynamic_report")
class TestDigestKpis(DynamicReportCommon):
    """crm_sme KPIs in Odoo's digest email, computed as the recipient."""

    def test_digest_values(self):
        self.env["res.partner"].browse(self.lost.id).with_company(self.company).sudo().write(
            {"crm_sme_lifecycle": "at_risk"}
        )
        digest = self.env["digest.digest"].create(
            {
                "name": "Weekly (crm_sme test)",
                "company_id": self.company.id,
                "kpi_crm_sme_new_customers": True,
                "kpi_crm_sme_at_risk_customers": True,
                "kpi_crm_sme_tier_moves": True,
                "kpi_crm_sme_overdue": True,
                "kpi_crm_sme_feedback_breached": True,
                "kpi_crm_sme_nps": True,
            }
        )
        values = {}
        for field in (
            "new_customers",
            "tier_moves",
            "nps",
            "at_risk_customers",
            "feedback_breached",
        ):
            name = f"kpi_crm_sme_{field}_value"
            record = digest.with_user(self.user_sales_manager).with_context(
                start_datetime=datetime(2020, 3, 1), end_datetime=datetime(2020, 4, 1)
            )
            values[field] = record[name]
        self.assertEqual(values["new_customers"], 1)
        self.assertEqual(values["tier_moves"], 2)
        self.assertAlmostEqual(values["nps"], 100.0 / 3)
        self.assertGreaterEqual(values["at_risk_customers"], 1)

        # the salesperson's digest counts their own customers only (as Odoo's digest
        # does between users, drop the values computed for the manager)
        digest.invalidate_recordset()
        own = digest.with_user(self.user_salesman).with_context(
            start_datetime=datetime(2020, 3, 1), end_datetime=datetime(2020, 4, 1)
        )
        self.assertEqual(own.kpi_crm_sme_new_customers_value, 0)
        self.assertEqual(own.kpi_crm_sme_tier_moves_value, 1)

        # the digest email renders them
        digest._action_send_to_user(self.user_sales_manager)  # as the digest job does
        mail = self.env["mail.mail"].search(
            [("subject", "ilike", "Weekly (crm_sme test)")], limit=1
        )
        self.assertTrue(mail)
        for label in (
            "New Customers",
            "At-Risk Customers",
            "Value Tier Moves",
            "Overdue Receivables",
            "Feedback Deadlines Breached",
            "Net Promoter Score",
        ):
            self.assertIn(label, mail.body_html)
