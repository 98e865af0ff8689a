from . import crm_sme_reassign_wizard
from . import crm_sme_credit_override
from . import crm_lead_lost
from . import crm_sme_analysis_period_wizard
from . import crm_sme_statement_wizard
