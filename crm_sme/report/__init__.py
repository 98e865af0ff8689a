from . import crm_sme_campaign_report
from . import crm_sme_feedback_report
from . import crm_sme_sales_expense_report
from . import crm_sme_analysis_period_mixin
from . import crm_sme_customer_analysis
from . import crm_sme_tier_move_report
from . import crm_sme_salesperson_performance
from . import crm_sme_dynamic_report
