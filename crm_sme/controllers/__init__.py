from . import portal
from . import reconciliation
from . import portal_statement
