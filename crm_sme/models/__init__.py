from . import crm_sme_region
from . import crm_sme_customer_type
from . import res_users
from . import res_partner
from . import crm_sme_interaction
