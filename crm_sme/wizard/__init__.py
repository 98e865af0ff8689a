from . import crm_sme_credit_override
