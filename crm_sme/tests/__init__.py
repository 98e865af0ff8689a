from . import test_foundation
from . import test_ui
from . import test_opportunity
from . import test_credit_gate
from . import test_opportunity_access
from . import test_opportunity_ui
from . import test_opportunity_performance
from . import test_opportunity_report
