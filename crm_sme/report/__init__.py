from . import crm_sme_feedback_report
