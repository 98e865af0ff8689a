from . import test_foundation
from . import test_customer
from . import test_customer_position
from . import test_reassign
from . import test_care
from . import test_import
from . import test_performance
from . import test_ui
