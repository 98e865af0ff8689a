from . import crm_sme_reassign_wizard
