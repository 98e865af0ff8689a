from . import crm_sme_campaign_report
from . import crm_sme_feedback_report
from . import crm_sme_statement_report
