from . import crm_sme_campaign_report
